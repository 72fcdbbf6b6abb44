using McpGateway.Protocol;

namespace McpGateway.Tests.Protocol;

/// <summary>What a 2026-07-28 request declares in <c>params._meta</c>: an extension counts only as an object under <c>extensions</c>.</summary>
public sealed class RequestCapabilitiesTests
{
    [Theory]
    [InlineData("""{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}}""", true)]
    [InlineData("""{"taskId":"t","_meta":{"io.modelcontextprotocol/clientCapabilities":{"elicitation":{},"extensions":{"x/y":{},"io.modelcontextprotocol/tasks":{"v":1}}}}}""", true)]
    [InlineData("""{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":true}}}}""", false)]
    [InlineData("""{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/Tasks":{}}}}}""", false)]
    [InlineData("""{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"io.modelcontextprotocol/tasks":{}}}}""", false)]
    [InlineData("""{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":[]}}}""", false)]
    [InlineData("""{"_meta":{"clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}}""", false)]
    [InlineData("""{"extensions":{"io.modelcontextprotocol/tasks":{}}}""", false)]
    [InlineData("""{"_meta":null}""", false)]
    [InlineData("""{}""", false)]
    [InlineData("""[]""", false)]
    public void DeclaresExtension_OnlyAnObjectUnderTheRequestsExtensions(string parameters, bool declared)
    {
        using var document = JsonDocument.Parse(parameters);

        Assert.Equal(declared, RequestCapabilities.DeclaresExtension(document.RootElement, "io.modelcontextprotocol/tasks"));
    }
}

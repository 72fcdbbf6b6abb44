using McpGateway.Configuration;

namespace McpGateway.Tests.Configuration;

/// <summary>A server's <c>tool_pins</c> (issue 15) as the gateway and every CLI command read it.</summary>
public sealed class ServerToolPinsTests
{
    private const string Pin = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void NoToolPins_ServerIsNotPinned()
    {
        var server = ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1:1/mcp"}"""));

        Assert.Null(server.ToolPins);
    }

    [Fact]
    public void ToolPins_AreKeptByToolName()
    {
        var server = ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes($$$"""{"url":"http://127.0.0.1:1/mcp","tool_pins":{"deploy":"{{{Pin}}}"}}"""));

        Assert.Equal(Pin, Assert.Single(server.ToolPins!).Value);
        Assert.Equal("deploy", server.ToolPins!.Keys.Single());
    }

    [Fact]
    public void EmptyToolPins_PinNothing()
    {
        var server = ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1:1/mcp","tool_pins":{}}"""));

        Assert.NotNull(server.ToolPins);
        Assert.Empty(server.ToolPins);
    }

    [Theory]
    [InlineData("sha256:0123")]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("md5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void MalformedPin_RejectedNamingServerAndTool(string pin)
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ConfigEntryParser.ParseServer("ecs", Encoding.UTF8.GetBytes($$$"""{"url":"http://127.0.0.1:1/mcp","tool_pins":{"deploy":"{{{pin}}}"}}""")));

        Assert.Equal("server \"ecs\": tool_pins.deploy must be \"sha256:\" and 64 lowercase hex digits, as mcpgw tools pin writes it", ex.Message);
    }

    [Fact]
    public void InvalidToolName_Rejected()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ConfigEntryParser.ParseServer("ecs", Encoding.UTF8.GetBytes($$$"""{"url":"http://127.0.0.1:1/mcp","tool_pins":{"no spaces":"{{{Pin}}}"}}""")));

        Assert.StartsWith("server \"ecs\": tool_pins names an invalid tool \"no spaces\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PinThatIsNotAString_Rejected()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ConfigEntryParser.ParseServer("ecs", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1:1/mcp","tool_pins":{"deploy":1}}""")));

        Assert.StartsWith("server \"ecs\": ", ex.Message, StringComparison.Ordinal);
    }
}

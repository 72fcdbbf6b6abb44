using McpGateway.Configuration;

namespace McpGateway.Tests.Configuration;

/// <summary>A server's static <c>headers</c>: the operator's own, never one the gateway or the call sets.</summary>
public sealed class ServerHeadersTests
{
    [Theory]
    [InlineData("Host")]
    [InlineData("Mcp-Session-Id")]
    [InlineData("Mcp-Name")]
    [InlineData("Mcp-Param-Region")]
    [InlineData("mcp-param-x")]
    [InlineData("bad header")]
    public void ParseServer_HeaderTheGatewayOrTheCallSets_Rejected(string name)
    {
        var error = Assert.Throws<ConfigException>(() => Parse($$"""{"{{name}}":"v"}"""));

        Assert.Equal($"server \"s\": header \"{name}\" cannot be configured", error.Message);
    }

    [Theory]
    [InlineData("X-Api-Key")]
    [InlineData("Mcp-Parameter")] // not the Mcp-Param- prefix
    public void ParseServer_OperatorsOwnHeader_Kept(string name)
    {
        var server = Parse($$"""{"{{name}}":"v"}""");

        Assert.Equal("v", server.Headers[name]);
    }

    private static ServerConfig Parse(string headers) =>
        ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes($$"""{"url":"http://127.0.0.1:1/mcp","headers":{{headers}}}"""));
}

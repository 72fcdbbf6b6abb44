using McpGateway.Configuration;

namespace McpGateway.Tests.Configuration;

/// <summary>A server's <c>idle_timeout_seconds</c> (issue 16): API Gateway's 300 s by default, 0 to 900 exclusive of 0.</summary>
public sealed class ServerIdleTimeoutTests
{
    [Fact]
    public void ParseServer_NoIdleTimeout_DefaultsToApiGatewayIdleLimit()
    {
        var server = ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1:1/mcp"}"""));

        Assert.Equal(TimeSpan.FromSeconds(300), server.IdleTimeout);
    }

    [Fact]
    public void ParseServer_IdleTimeoutGiven_Used()
    {
        var server = ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes("""{"url":"http://127.0.0.1:1/mcp","idle_timeout_seconds":2.5}"""));

        Assert.Equal(TimeSpan.FromSeconds(2.5), server.IdleTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("901")]
    public void ParseServer_IdleTimeoutOutOfRange_RejectedNamingTheField(string seconds)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigEntryParser.ParseServer("s", Encoding.UTF8.GetBytes($$"""{"url":"http://127.0.0.1:1/mcp","idle_timeout_seconds":{{seconds}}}""")));

        Assert.Equal("server \"s\": idle_timeout_seconds must be between 0 and 900", error.Message);
    }
}

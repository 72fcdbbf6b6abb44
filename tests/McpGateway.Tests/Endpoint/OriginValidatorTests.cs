using System.Net;
using McpGateway.Endpoint;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Endpoint;

public sealed class OriginValidatorTests
{
    private static readonly string[] Configured = ["https://console.example.com"];

    /// <summary>
    /// One truth table: a loopback origin is let in only when the Host it sent and the address it reached are
    /// loopback too (DNS rebinding changes the first, a listener beyond loopback the second); a configured
    /// origin is let in from anywhere; anything else is refused.
    /// </summary>
    [Theory]
    [InlineData("http://localhost:6274", "127.0.0.1:8080", "127.0.0.1", true)]
    [InlineData("http://127.0.0.1:3000", "localhost:8080", "127.0.0.1", true)]
    [InlineData("http://[::1]:3000", "[::1]:8080", "127.0.0.1", true)]
    [InlineData("https://localhost", "127.0.0.2", "127.0.0.1", true)]
    [InlineData("https://console.example.com", "gw.example.com", "10.0.0.5", true)]
    [InlineData("http://localhost:6274", "rebind.example:8080", "127.0.0.1", false)]
    [InlineData("http://localhost:6274", "127.0.0.1:8080", "10.0.0.5", false)]
    [InlineData("http://evil.example", "127.0.0.1:8080", "127.0.0.1", false)]
    [InlineData("http://localhost.evil.example", "127.0.0.1:8080", "127.0.0.1", false)]
    [InlineData("null", "127.0.0.1:8080", "127.0.0.1", false)]
    [InlineData("http://localhost:6274/path", "127.0.0.1:8080", "127.0.0.1", false)]
    public void IsAllowed_OriginHostAndListener_AllowedOnlyForLoopbackOrConfigured(string origin, string host, string local, bool allowed)
    {
        Assert.Equal(allowed, OriginValidator.IsAllowed(Request(origin, host, IPAddress.Parse(local)), Configured));
    }

    [Fact]
    public void IsAllowed_NoOrigin_Allowed()
    {
        var context = new DefaultHttpContext();
        Assert.True(OriginValidator.IsAllowed(context.Request, Configured));
    }

    private static HttpRequest Request(string origin, string host, IPAddress local)
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = local;
        context.Request.Headers.Origin = origin;
        context.Request.Host = HostString.FromUriComponent(host);
        return context.Request;
    }
}

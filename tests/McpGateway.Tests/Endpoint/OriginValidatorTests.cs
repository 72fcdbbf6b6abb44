using System.Net;
using McpGateway.Endpoint;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Endpoint;

public sealed class OriginValidatorTests
{
    private static readonly string[] Configured = ["https://console.example.com"];

    [Theory]
    [InlineData("http://localhost:6274", "127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:3000", "localhost:8080")]
    [InlineData("http://[::1]:3000", "[::1]:8080")]
    [InlineData("https://localhost", "127.0.0.2")]
    public void IsAllowed_LoopbackOriginAndHostOnLoopbackListener_Allowed(string origin, string host)
    {
        Assert.True(OriginValidator.IsAllowed(Request(origin, host, IPAddress.Loopback), Configured));
    }

    [Theory]
    [InlineData("http://localhost:6274", "rebind.example:8080", "127.0.0.1")] // DNS rebinding: the page's own Host
    [InlineData("http://localhost:6274", "127.0.0.1:8080", "10.0.0.5")]       // the gateway listens beyond loopback
    [InlineData("http://evil.example", "127.0.0.1:8080", "127.0.0.1")]
    [InlineData("http://localhost.evil.example", "127.0.0.1:8080", "127.0.0.1")]
    [InlineData("null", "127.0.0.1:8080", "127.0.0.1")]
    [InlineData("http://localhost:6274/path", "127.0.0.1:8080", "127.0.0.1")]
    public void IsAllowed_AnythingElseUnconfigured_Refused(string origin, string host, string local)
    {
        Assert.False(OriginValidator.IsAllowed(Request(origin, host, IPAddress.Parse(local)), Configured));
    }

    [Fact]
    public void IsAllowed_ConfiguredOriginFromAnywhere_Allowed()
    {
        Assert.True(OriginValidator.IsAllowed(Request("https://console.example.com", "gw.example.com", IPAddress.Parse("10.0.0.5")), Configured));
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

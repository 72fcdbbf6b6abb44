using McpGateway.Admin;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Admin;

public sealed class PageRequestTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", null, true)]
    [InlineData("localhost:8080", null, true)]
    [InlineData("[::1]:8080", null, true)]
    [InlineData("127.0.0.1:8080", "https", false)]
    [InlineData("abc.execute-api.eu-west-1.amazonaws.com", "https", false)]
    [InlineData("gateway.example.com", null, false)]
    public void IsLoopbackHttp_DecidesByTheHostTheBrowserUsed(string host, string? forwardedProto, bool expected)
    {
        var request = Request(host, forwardedProto);

        Assert.Equal(expected, PageRequest.IsLoopbackHttp(request));
    }

    [Theory]
    [InlineData(null, null, false, null)]
    [InlineData(null, null, true, "Origin header")]
    [InlineData("https://abc.execute-api.eu-west-1.amazonaws.com", "same-origin", true, null)]
    [InlineData("https://ABC.execute-api.eu-west-1.amazonaws.com", null, true, null)]
    [InlineData("http://abc.execute-api.eu-west-1.amazonaws.com", null, true, "not the gateway's own")]
    [InlineData("https://evil.example", null, true, "not the gateway's own")]
    [InlineData("https://allowed.example", null, true, null)]
    [InlineData(null, "cross-site", false, "another site")]
    [InlineData(null, "same-site", false, "another site")]
    [InlineData(null, "none", false, "another site")]
    public void CrossOriginProblem_OnlyTheGatewaysOwnOriginOrAConfiguredOnePasses(string? origin, string? fetchSite, bool requireOrigin, string? problem)
    {
        var request = Request("abc.execute-api.eu-west-1.amazonaws.com", "https");
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        if (fetchSite is not null)
        {
            request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        var found = PageRequest.CrossOriginProblem(request, ["https://allowed.example/"], requireOrigin);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    private static HttpRequest Request(string host, string? forwardedProto)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }

        return context.Request;
    }
}

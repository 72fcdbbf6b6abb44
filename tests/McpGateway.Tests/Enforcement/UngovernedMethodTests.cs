using System.Net;

namespace McpGateway.Tests.Enforcement;

/// <summary>
/// A request method the gateway neither judges nor passes (a vendor's, a later revision's): under default deny it is
/// answered as a method the server lacks and never reaches it; under default allow it passes, as before.
/// </summary>
public sealed class UngovernedMethodTests : IAsyncLifetime
{
    private SdkUpstream _upstream = null!;
    private InProcessGateway _gateway = null!;
    private string _denying = "";
    private string _allowing = "";

    public async Task InitializeAsync()
    {
        _upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("upstream", _upstream.Url)
            .Policy("deny", """{"version":"1","default":"deny","tools":{"echo":{}}}""")
            .Policy("allow", """{"version":"1","default":"allow"}""")
            .Grant("denying", "upstream", "deny", out _denying)
            .Grant("allowing", "upstream", "allow", out _allowing);
        _gateway = await InProcessGateway.StartAsync(config.Build());
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("acme/deleteEverything")]
    [InlineData("tools/delete")]
    public async Task UnknownMethod_DefaultDeny_MethodNotFoundWithoutReachingTheUpstream(string method)
    {
        var before = _upstream.RequestBodies.Count;

        var (status, answer) = await SendAsync(_denying, method);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(-32601, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(before, _upstream.RequestBodies.Count);
    }

    [Theory]
    [InlineData("acme/deleteEverything", true)]
    [InlineData("ping", false)]
    [InlineData("tools/list", false)]
    public async Task Method_UnderEitherDefault_ReachesTheUpstreamUnlessUngovernedUnderDeny(string method, bool ungoverned)
    {
        foreach (var (token, deny) in new[] { (_allowing, false), (_denying, true) })
        {
            var before = _upstream.RequestBodies.Count;

            await SendAsync(token, method);

            Assert.Equal(ungoverned && deny ? before : before + 1, _upstream.RequestBodies.Count);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Answer)> SendAsync(string token, string method)
    {
        using var http = new HttpClient();
        using var request = RawToolCall.Stateless(_gateway.McpUrl("upstream"), token, method, "");
        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace McpGateway.Tests.Enforcement;

/// <summary>
/// The enforcement core of a tools/call (decide, reserve, forward, give back) in one process: the gateway as the host
/// composes it, the in-memory stores, and the C# SDK upstream on loopback. The end-to-end tests run the same paths
/// against the gateway's own process; these run in milliseconds and move the gateway's clock by hand.
/// </summary>
public sealed class ToolCallEnforcementTests : IAsyncLifetime
{
    private const string Policy = """
        {
          "version": "1",
          "default": "deny",
          "tools": {
            "echo": {},
            "secret": { "action": "deny", "reason": "secret is not for agents" },
            "add": { "limits": [ { "counter": "add", "window": "minute", "max": 2 } ] },
            "missing_tool": { "limits": [ { "counter": "missing", "window": "minute", "max": 1 } ] },
            "sleep": { "limits": [ { "counter": "sleep", "window": "minute", "max": 1 } ] }
          }
        }
        """;

    private SdkUpstream _upstream = null!;
    private InProcessGateway _gateway = null!;
    private string _token = "";
    private string _closedToken = "";
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var closedPort = Loopback.FreePort();
        var config = new GatewayConfig()
            .Server("upstream", _upstream.Url)
            .Server("closed", new Uri($"http://127.0.0.1:{closedPort}/mcp"))
            .Policy("tools", Policy)
            .Grant("agent", "upstream", "tools", out _token)
            .Grant("agent-closed", "closed", "tools", out _closedToken);
        _gateway = await InProcessGateway.StartAsync(config.Build());
        _url = _gateway.McpUrl("upstream");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task AllowedCall_ReachesTheUpstreamOnceWithoutTheClientsToken()
    {
        var (isError, text) = await RawToolCall.CallAsync(_url, _token, "echo", """{"message":"hi"}""");

        Assert.False(isError, text);
        Assert.Equal("Echo: hi", text);
        Assert.Equal(1, _upstream.Calls("echo"));
        Assert.All(_upstream.RequestHeaders, h => Assert.False(h.ContainsKey("Authorization"), "the client's Authorization reached the upstream"));
        var decision = Assert.Single(await _gateway.Decisions.WaitForAsync(1));
        Assert.Equal(("agent", "upstream", "echo", "allow", "forwarded"), (decision.Grant, decision.Server, decision.Tool, decision.Decision, decision.Outcome));
        Assert.Equal(["message"], decision.ArgumentKeys);
    }

    [Fact]
    public async Task DeniedCall_AnsweredWithTheRulesReason_NeverReachesTheUpstream()
    {
        var (isError, text) = await RawToolCall.CallAsync(_url, _token, "secret", """{"message":"hi"}""");

        Assert.True(isError);
        Assert.Contains("secret is not for agents", text, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.TotalCalls);
        var decision = Assert.Single(await _gateway.Decisions.WaitForAsync(1));
        Assert.Equal(("deny", "tools.secret", "denied"), (decision.Decision, decision.Rule, decision.Outcome));
    }

    [Fact]
    public async Task ToolTheRulesDoNotName_DeniedByTheDefault()
    {
        var (isError, _) = await RawToolCall.CallAsync(_url, _token, "charge", """{"amount":5}""");

        Assert.True(isError);
        Assert.Equal(0, _upstream.TotalCalls);
        Assert.Equal("denied", Assert.Single(await _gateway.Decisions.WaitForAsync(1)).Outcome);
    }

    [Fact]
    public async Task LimitReached_RefusedBeforeTheUpstream_AndTheWindowFollowsTheGatewaysClock()
    {
        var results = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            results.Add((await RawToolCall.CallAsync(_url, _token, "add", """{"a":1,"b":2}""")).IsError);
        }

        _gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        results.Add((await RawToolCall.CallAsync(_url, _token, "add", """{"a":1,"b":2}""")).IsError);

        Assert.Equal([false, false, true, false], results);
        Assert.Equal(3, _upstream.Calls("add"));
        var decisions = await _gateway.Decisions.WaitForAsync(4);
        Assert.Equal(["forwarded", "forwarded", "rate_limited", "forwarded"], decisions.Select(d => d.Outcome));
        Assert.Equal("tools.add.limits[0]", decisions[2].Rule);
    }

    [Fact]
    public async Task UpstreamAnswersAnError_ReservationGivenBack_SoTheNextCallIsNotLimited()
    {
        // max 1: a second call that reaches the upstream proves the first call's reservation was given back.
        for (var i = 0; i < 3; i++)
        {
            var (status, _, body) = await RawToolCall.SendAsync(_url, _token, "missing_tool");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(3, _upstream.RequestBodies.Count(b => b.Contains("\"missing_tool\"", StringComparison.Ordinal)));
        Assert.All(await _gateway.Decisions.WaitForAsync(3), d => Assert.Equal("upstream_error", d.Outcome));
    }

    [Fact]
    public async Task UpstreamUnreachable_502AndReservationGivenBack()
    {
        var url = _gateway.McpUrl("closed");
        for (var i = 0; i < 2; i++)
        {
            var (status, _, body) = await RawToolCall.SendAsync(url, _closedToken, "sleep", """{"milliseconds":1}""");
            Assert.Equal(HttpStatusCode.BadGateway, status);
            using var answer = JsonDocument.Parse(body);
            Assert.Contains("\"closed\"", answer.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.All(await _gateway.Decisions.WaitForAsync(2), d => Assert.Equal("upstream_unavailable", d.Outcome));
    }

    [Fact]
    public async Task ClientHangsUpAfterForwarding_LoggedAndTheReservationKept()
    {
        using var hangUp = new CancellationTokenSource();
        using var request = RawToolCall.Request(_url, _token, "sleep", "\"arguments\":{\"milliseconds\":60000}");
        using var http = new HttpClient();
        var call = http.SendAsync(request, hangUp.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_upstream.Calls("sleep") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the call never reached the upstream");
            await Task.Delay(10);
        }

        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("client_aborted", Assert.Single(await _gateway.Decisions.WaitForAsync(1)).Outcome);

        // The upstream may have acted, so the quota stays spent: the next call is refused by the limit.
        var (isError, _) = await RawToolCall.CallAsync(_url, _token, "sleep", """{"milliseconds":1}""");
        Assert.True(isError);
        Assert.Equal(1, _upstream.Calls("sleep"));
        Assert.Equal("rate_limited", (await _gateway.Decisions.WaitForAsync(2))[1].Outcome);
    }
}

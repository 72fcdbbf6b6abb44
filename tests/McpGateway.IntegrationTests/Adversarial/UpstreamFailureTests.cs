
namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// Upstreams that are down, silent or failing: the client gets a JSON-RPC error naming the server, the
/// decision log says what happened, and a failed call gives its rate-limit quota back (issue 3).
/// </summary>
public sealed class UpstreamFailureTests
{
    private const string EchoCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";

    /// <summary>
    /// <c>missing_tool</c> is allowed but the SDK upstream has no such tool, so it answers every call with
    /// a JSON-RPC error. Windows are a year long so no test straddles a window boundary.
    /// </summary>
    private const string Policy = """
        {
          "version": "1",
          "default": "deny",
          "tools": {
            "echo": {},
            "add": { "limits": [ { "counter": "add", "window": 31536000, "max": 2 } ] },
            "missing_tool": { "limits": [ { "counter": "missing", "window": 31536000, "max": 2 } ] },
            "sleep": { "limits": [ { "counter": "sleep", "window": 31536000, "max": 1 } ] }
          }
        }
        """;

    [Fact]
    public async Task ToolsCall_UpstreamPortClosed_Returns502NamingServer()
    {
        var port = Loopback.FreePort();
        await using var gateway = await StartGatewayAsync("closed-upstream", new Uri($"http://127.0.0.1:{port}/mcp"));
        using var http = new RawHttp();

        var reply = await http.PostAsync(gateway.McpUrl("closed-upstream"), gateway.Token, RawHttp.Json(EchoCall));

        Assert.Equal(HttpStatusCode.BadGateway, reply.Status);
        Assert.Equal(-32000, reply.ErrorCode);
        Assert.Contains("\"closed-upstream\"", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, reply.Message.GetProperty("id").GetInt32());
        var decision = Assert.Single(await gateway.WaitForDecisionsAsync(1));
        Assert.Equal("upstream_unavailable", decision.GetProperty("outcome").GetString());
        Assert.Null(GatewayConfig.Int(decision, "upstream_status"));
    }

    [Fact]
    public async Task ToolsCall_UpstreamNeverAnswers_Returns504AfterServerTimeoutAndKeepsQuota()
    {
        await using var silent = new SilentUpstreamFake();
        await using var gateway = await StartGatewayAsync("silent-upstream", silent.Url, timeoutSeconds: 1);
        using var http = new RawHttp();

        // Well beyond the server's 1 s timeout, well short of HttpClient's and the gateway's 60 s defaults:
        // if the server's timeout_seconds were ignored, this cancels and the test fails.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var call = RawHttp.Json(EchoCall.Replace("\"echo\"", "\"sleep\"", StringComparison.Ordinal));
        var reply = await http.PostAsync(gateway.McpUrl("silent-upstream"), gateway.Token, call, cancellationToken: deadline.Token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, reply.Status);
        Assert.Equal(-32000, reply.ErrorCode);
        Assert.Contains("\"silent-upstream\"", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.True(silent.AcceptedConnections >= 1, "the gateway never connected, so this was not a timeout");

        // The upstream may have acted before it went silent: the timed-out call keeps its quota (one a year).
        var again = await http.PostAsync(gateway.McpUrl("silent-upstream"), gateway.Token, RawHttp.Json(EchoCall.Replace("\"echo\"", "\"sleep\"", StringComparison.Ordinal)), cancellationToken: deadline.Token);
        Assert.Equal("tools.sleep.limits[0]", again.PolicyMeta.GetProperty("rule").GetString());
        var decisions = await gateway.WaitForDecisionsAsync(2);
        Assert.Equal(["upstream_timeout", "rate_limited"], decisions.Select(d => d.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task ToolsCall_UpstreamAnswersJsonRpcError_QuotaGivenBackEachTime()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync("upstream", upstream.Url);
        using var http = new RawHttp();

        // Control: the same limit on a tool that succeeds is enforced, so the limit is live in this config.
        var added = new List<bool>();
        for (var i = 1; i <= 3; i++)
        {
            var reply = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(ToolCall(i, "add", """{"a":1,"b":2}""")));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            added.Add(!reply.Message.GetProperty("result").TryGetProperty("isError", out var isError) || !isError.GetBoolean());
        }

        Assert.Equal([true, true, false], added);

        for (var i = 1; i <= 3; i++)
        {
            var reply = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(ToolCall(10 + i, "missing_tool", "{}")));

            // The upstream's JSON-RPC error is relayed as it came: HTTP 200, an error in the message.
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal(10 + i, reply.Message.GetProperty("id").GetInt32());
            Assert.True(reply.Message.TryGetProperty("error", out _), "expected the upstream's JSON-RPC error, got " + reply.Body);
        }

        Assert.Equal(3, upstream.RequestBodies.Count(b => b.Contains("\"missing_tool\"", StringComparison.Ordinal)));
        var decisions = (await gateway.WaitForDecisionsAsync(6))
            .Where(d => d.GetProperty("tool").GetString() == "missing_tool")
            .OrderBy(d => d.GetProperty("time").GetDateTimeOffset())
            .ToList();
        Assert.Equal(["upstream_error", "upstream_error", "upstream_error"], decisions.Select(d => d.GetProperty("outcome").GetString()));
        Assert.All(decisions, d => Assert.Equal("allow", d.GetProperty("decision").GetString()));
    }

    /// <summary>
    /// A client that hangs up after its call reached the upstream: the upstream may already have acted,
    /// so the call must still be logged, and it keeps its quota (else hanging up would be a way round
    /// every rate limit).
    /// </summary>
    [Fact]
    public async Task ToolsCall_ClientDisconnectsAfterForwarding_LoggedAndQuotaKept()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync("upstream", upstream.Url);
        using var http = new RawHttp();

        using var hangUp = new CancellationTokenSource();
        var call = http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(ToolCall(1, "sleep", """{"milliseconds":60000}""")), cancellationToken: hangUp.Token);
        await PollAsync(() => upstream.Calls("sleep") == 1, "the sleep call never reached the upstream");
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var aborted = Assert.Single(await gateway.WaitForDecisionsAsync(1));
        Assert.Equal("client_aborted", aborted.GetProperty("outcome").GetString());
        Assert.Equal("sleep", aborted.GetProperty("tool").GetString());

        var again = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(ToolCall(2, "sleep", """{"milliseconds":1}""")));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("tools.sleep.limits[0]", again.PolicyMeta.GetProperty("rule").GetString());
        Assert.Equal(1, upstream.Calls("sleep"));
        var decisions = await gateway.WaitForDecisionsAsync(2);
        Assert.Equal(["client_aborted", "rate_limited"], decisions.OrderBy(d => d.GetProperty("time").GetDateTimeOffset()).Select(d => d.GetProperty("outcome").GetString()));
    }

    /// <summary>A gateway with one server under this class's policy, with the grant's token.</summary>
    private static async Task<GrantedGateway> StartGatewayAsync(string server, Uri url, double? timeoutSeconds = null)
    {
        var config = new GatewayConfig()
            .Server(server, url, timeoutSeconds: timeoutSeconds)
            .Policy("tools", Policy)
            .Grant("agent", server, "tools", out var token);
        return new(await GatewayProcess.StartAsync(config.Build()), token);
    }

    private static string ToolCall(int id, string name, string arguments) =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{name}}}","arguments":{{{arguments}}}}}""";

    private static async Task PollAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}

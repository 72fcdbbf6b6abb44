using McpGateway.Metrics;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Metrics;

/// <summary>
/// With <c>Gateway:Metrics:Emf</c> every decision line a real gateway writes is a valid CloudWatch EMF document
/// whose values say what happened to the call (issue 18); without it the line carries no metrics.
/// </summary>
public sealed class EmfDecisionLineTests
{
    /// <summary>echo allowed, add limited to one call a year, secret denied by name, anything else denied by default.</summary>
    internal const string Policy = """
        {"version":"1","default":"deny","tools":{
          "echo":{},
          "add":{"limits":[{"counter":"add","window":31536000,"max":1}]},
          "secret":{"action":"deny","reason":"not for agents"}}}
        """;

    [Fact]
    public async Task DecisionLines_EmfWithToolDimension_AreValidEmfDocumentsWithTheCallsOutcomes()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, Policy, new Dictionary<string, string?>
        {
            ["Gateway__Metrics__Emf"] = "true",
            ["Gateway__Metrics__ToolDimension"] = "true",
        });
        var url = gateway.McpUrl("upstream");

        await RawToolCall.SendAsync(url, gateway.Token, "echo", """{"message":"hi"}""");
        await RawToolCall.SendAsync(url, gateway.Token, "add", """{"a":1,"b":2}""");
        await RawToolCall.SendAsync(url, gateway.Token, "add", """{"a":1,"b":2}""");
        await RawToolCall.SendAsync(url, gateway.Token, "secret", """{"message":"x"}""");
        await RawToolCall.SendAsync(url, gateway.Token, "made_up_tool_1234", "{}");
        var lines = await gateway.WaitForDecisionsAsync(5);

        Assert.Equal(5, lines.Count);
        Assert.All(lines, line => Assert.Empty(EmfSpec.Violations(line)));
        Assert.All(lines, line =>
        {
            var directive = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
            Assert.Equal("McpGateway", directive.GetProperty("Namespace").GetString());
            Assert.Equal("""[[],["Server"],["Server","Tool"]]""", directive.GetProperty("Dimensions").GetRawText());
            Assert.Equal("upstream", line.GetProperty("Server").GetString());
            Assert.Equal(1, line.GetProperty("Calls").GetInt32());
            Assert.Equal(line.GetProperty("time").GetDateTimeOffset().ToUnixTimeMilliseconds(), line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
            Assert.Equal(line.GetProperty("latency_ms").GetDouble(), line.GetProperty("Latency").GetDouble());

            // Only names the gateway declares: what the template's dashboard and alarms may rely on.
            Assert.All(directive.GetProperty("Metrics").EnumerateArray(), m => Assert.Contains(m.GetProperty("Name").GetString(), EmfWriter.Metrics.Select(d => d.Name)));
        });

        // Together the lines declare every metric the gateway lists: the list is what it really emits.
        var declared = lines.SelectMany(l => l.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()).Select(m => m.GetProperty("Name").GetString()).ToHashSet();
        Assert.True(declared.SetEquals(EmfWriter.Metrics.Select(m => m.Name)), string.Join(",", declared));

        string[] outcomes = [.. lines.Select(l => l.GetProperty("outcome").GetString()!)];
        Assert.Equal(["forwarded", "forwarded", "rate_limited", "denied", "denied"], outcomes);
        Assert.Equal(["echo", "add", "add", "secret", EmfWriter.OtherTool], lines.Select(l => l.GetProperty("Tool").GetString()));
        Assert.Equal([1, 1, 0, 0, 0], lines.Select(l => l.GetProperty("Allowed").GetInt32()));
        Assert.Equal([0, 0, 0, 1, 1], lines.Select(l => l.GetProperty("Denied").GetInt32()));
        Assert.Equal([0, 0, 1, 0, 0], lines.Select(l => l.GetProperty("RateLimited").GetInt32()));
        Assert.All(lines, l => Assert.Equal(0, l.GetProperty("UpstreamErrors").GetInt32() + l.GetProperty("StoreErrors").GetInt32() + l.GetProperty("ApprovalRequired").GetInt32()));

        // An upstream latency exists, and is declared, only for calls that reached the upstream.
        Assert.Equal([true, true, false, false, false], lines.Select(l => l.TryGetProperty("UpstreamLatency", out _)));
        Assert.All(lines.Take(2), l => Assert.Equal(l.GetProperty("upstream_latency_ms").GetDouble(), l.GetProperty("UpstreamLatency").GetDouble()));
        Assert.All(lines.Take(2), l => Assert.InRange(l.GetProperty("UpstreamLatency").GetDouble(), 0, l.GetProperty("Latency").GetDouble()));
    }

    [Fact]
    public async Task ToolDimension_NamesThePolicyDoesNotNameExactlyAndTheGatewayHoldsNoListOf_AreOther()
    {
        // server-everything answers an unknown tool with a tool result ("Tool ... not found"), not an error: the
        // calls count as forwarded, which is how made-up names used to reach the dimension.
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """
            {"version":"1","default":"allow","tools":{"echo":{},"trigger-*":{}}}
            """, new Dictionary<string, string?>
        {
            ["Gateway__Metrics__Emf"] = "true",
            ["Gateway__Metrics__ToolDimension"] = "true",
        });
        await using var client = await gateway.ConnectAsync("upstream");

        // A tool the server lists but that nothing made the gateway read a list of (no pins, hides or schema checks) is not named either.
        foreach (var tool in new[] { "rnd-a1b2", "rnd-c3d4", "trigger-x9", "get-sum", "echo" })
        {
            await client.CallToolAsync(tool, new Dictionary<string, object?> { ["message"] = "hi", ["a"] = 1, ["b"] = 2 });
        }

        var lines = await gateway.WaitForDecisionsAsync(5);

        Assert.Equal(["rnd-a1b2", "rnd-c3d4", "trigger-x9", "get-sum", "echo"], lines.Select(l => l.GetProperty("tool").GetString()));
        Assert.All(lines, l => Assert.Equal("forwarded", l.GetProperty("outcome").GetString()));
        Assert.Equal([EmfWriter.OtherTool, EmfWriter.OtherTool, EmfWriter.OtherTool, EmfWriter.OtherTool, "echo"], lines.Select(l => l.GetProperty("Tool").GetString()));
        Assert.All(lines, line => Assert.Empty(EmfSpec.Violations(line)));
    }

    [Fact]
    public async Task ToolDimension_ToolTheGatewayHoldsAsListed_IsNamedWhateverTheUpstreamAnswered()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        upstream.AddTool(McpServerTool.Create(string () => throw new McpProtocolException("refused on purpose", McpErrorCode.InvalidParams), new() { Name = "refuse" }));

        // Hiding a tool makes the gateway read and keep the server's tool list (to answer unlisted names as hidden ones).
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """
            {"version":"1","default":"allow","hide":["secret"]}
            """, new Dictionary<string, string?>
        {
            ["Gateway__Metrics__Emf"] = "true",
            ["Gateway__Metrics__ToolDimension"] = "true",
        });
        var url = gateway.McpUrl("upstream");

        await RawToolCall.SendAsync(url, gateway.Token, "echo", """{"message":"hi"}""");
        await RawToolCall.SendAsync(url, gateway.Token, "refuse");
        await RawToolCall.SendAsync(url, gateway.Token, "rnd-a1b2");
        var lines = await gateway.WaitForDecisionsAsync(3);

        Assert.Equal(["forwarded", "upstream_error", "denied"], lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.Equal(["echo", "refuse", EmfWriter.OtherTool], lines.Select(l => l.GetProperty("Tool").GetString()));
    }

    [Fact]
    public async Task DecisionLines_EmfWithoutToolDimension_HaveOnlyTheServerDimension()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, Policy, new Dictionary<string, string?> { ["Gateway__Metrics__Emf"] = "true" });

        await RawToolCall.SendAsync(gateway.McpUrl("upstream"), gateway.Token, "echo", """{"message":"hi"}""");
        var line = Assert.Single(await gateway.WaitForDecisionsAsync(1));

        Assert.Empty(EmfSpec.Violations(line));
        var directive = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("""[[],["Server"]]""", directive.GetProperty("Dimensions").GetRawText());
        Assert.False(line.TryGetProperty("Tool", out _));
        Assert.Equal("echo", line.GetProperty("tool").GetString());
    }

    [Fact]
    public async Task DecisionLine_UpstreamNotListening_CarriesNoUpstreamLatency()
    {
        var closed = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/mcp");
        await using var gateway = await GrantedGateway.StartAsync("upstream", closed, Policy, new Dictionary<string, string?> { ["Gateway__Metrics__Emf"] = "true" });

        var (status, _, _) = await RawToolCall.SendAsync(gateway.McpUrl("upstream"), gateway.Token, "echo", """{"message":"hi"}""");
        var line = Assert.Single(await gateway.WaitForDecisionsAsync(1));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_unavailable", line.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("upstream_latency_ms").ValueKind);
        Assert.False(line.TryGetProperty("UpstreamLatency", out _));
        Assert.Equal(1, line.GetProperty("UpstreamErrors").GetInt32());
    }

    [Fact]
    public async Task DecisionLines_EmfOff_CarryNoMetrics()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, Policy);

        await RawToolCall.SendAsync(gateway.McpUrl("upstream"), gateway.Token, "echo", """{"message":"hi"}""");
        var line = Assert.Single(await gateway.WaitForDecisionsAsync(1));

        Assert.False(line.TryGetProperty("_aws", out _));
        Assert.False(line.TryGetProperty("Calls", out _));
        Assert.True(line.GetProperty("upstream_latency_ms").GetDouble() >= 0);
    }
}

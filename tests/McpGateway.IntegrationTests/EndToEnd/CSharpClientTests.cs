using ModelContextProtocol.Client;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>The C# SDK client through the gateway, on both of its connection paths.</summary>
public sealed class CSharpClientTests
{
    [Fact]
    public async Task ServerEverything_ClientProbesThenFallsBackToInitialize_PolicyEnforcedOverSse()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await Scenario.Everything.StartGatewayAsync(upstream.Url);
        await using var client = await gateway.ConnectAsync("upstream");

        // server-everything answers server/discover with 400, through the gateway, and the client
        // falls back to initialize: the session-based path.
        Assert.StartsWith("2025-", client.NegotiatedProtocolVersion, StringComparison.Ordinal);
        Assert.NotNull(client.SessionId);
        Assert.StartsWith("mgs1.", client.SessionId, StringComparison.Ordinal);

        await AssertScenarioAsync(client, Scenario.Everything, gateway.Gateway);
    }

    [Fact]
    public async Task SdkUpstream_ClientDiscovers2026_PolicyEnforcedStatelessOverSse()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await Scenario.Sdk.StartGatewayAsync(upstream.Url);
        await using var client = await gateway.ConnectAsync("upstream");

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);

        await AssertScenarioAsync(client, Scenario.Sdk, gateway.Gateway);
        Scenario.AssertSdkUpstreamRan(upstream);
    }

    [Fact]
    public async Task SdkUpstreamWithJsonResponses_ClientPinned2025_PolicyEnforcedOverJson()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await Scenario.Sdk.StartGatewayAsync(upstream.Url);
        await using var client = await gateway.ConnectAsync("upstream", "2025-06-18");

        Assert.Equal("2025-06-18", client.NegotiatedProtocolVersion);
        await AssertScenarioAsync(client, Scenario.Sdk, gateway.Gateway);
        Scenario.AssertSdkUpstreamRan(upstream);
    }

    private static async Task AssertScenarioAsync(McpClient client, Scenario scenario, GatewayProcess gateway)
    {
        scenario.AssertListed((await client.ListToolsAsync()).Select(t => (string?)t.Name).ToHashSet(StringComparer.Ordinal));

        var allowed = await client.CallToolAsync(scenario.Allowed, Arguments(scenario.AllowedArguments));
        Assert.NotEqual(true, allowed.IsError);
        Assert.Equal(scenario.AllowedText, CSharpClient.Text(allowed));

        var denied = await client.CallToolAsync(scenario.Denied, Arguments(scenario.DeniedArguments));
        Assert.True(denied.IsError);
        Assert.Equal("Policy denied: " + Scenario.DenyReason, CSharpClient.Text(denied));
        Assert.Equal("deny", denied.Meta!["mcp-gateway/policy"]!["decision"]!.GetValue<string>());

        var hidden = await client.CallToolAsync(scenario.Hidden, Arguments(scenario.AllowedArguments));
        Assert.True(hidden.IsError);
        // Indistinguishable from an unknown tool (issue 16): the default's denial, not "hide".
        Assert.Equal("deny", hidden.Meta!["mcp-gateway/policy"]!["decision"]!.GetValue<string>());
        Assert.Equal("default", hidden.Meta!["mcp-gateway/policy"]!["rule"]!.GetValue<string>());

        var outcomes = new List<bool>();
        for (var i = 0; i < Scenario.Limit + 2; i++)
        {
            var result = await client.CallToolAsync(scenario.Limited, Arguments(scenario.LimitedArguments));
            outcomes.Add(result.IsError != true);
            if (result.IsError == true)
            {
                var policy = result.Meta!["mcp-gateway/policy"]!;
                Assert.Equal("tools." + scenario.Limited + ".limits[0]", policy["rule"]!.GetValue<string>());
                Assert.InRange(policy["retry_after_seconds"]!.GetValue<long>(), 1, 31536000);
            }
        }

        Assert.Equal([true, true, true, false, false], outcomes);

        var decisions = await gateway.WaitForDecisionsAsync(3 + Scenario.Limit + 2);
        Assert.Equal(
            ["forwarded", "denied", "denied", "forwarded", "forwarded", "forwarded", "rate_limited", "rate_limited"],
            decisions.OrderBy(d => d.GetProperty("time").GetDateTimeOffset()).Select(d => d.GetProperty("outcome").GetString()));
        Assert.All(decisions.Where(d => d.GetProperty("outcome").GetString() != "forwarded"), d => Assert.Null(GatewayConfig.Int(d, "upstream_status")));

        // The allowed and the hidden call carried the same arguments: a forwarded call's hash is computed while
        // the upstream works, a denied call's when its line is written; both must name the same arguments.
        var byTool = decisions.ToLookup(d => d.GetProperty("tool").GetString());
        var forwardedHash = byTool[scenario.Allowed].Single().GetProperty("arguments_sha256").GetString();
        Assert.Matches("^[0-9a-f]{64}$", forwardedHash);
        Assert.Equal(forwardedHash, byTool[scenario.Hidden].Single().GetProperty("arguments_sha256").GetString());
    }

    private static Dictionary<string, object?> Arguments(System.Text.Json.Nodes.JsonObject arguments) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(arguments.ToJsonString())!
            .ToDictionary(p => p.Key, p => (object?)p.Value);
}

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>The TypeScript SDK client through the gateway: an independent implementation of the protocol.</summary>
public sealed class TypeScriptClientTests
{
    [Fact]
    public async Task ServerEverything_TypeScriptClient_PolicyEnforcedOverSse()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await Scenario.Everything.StartGatewayAsync(upstream.Url);
        var run = await TypeScriptClient.RunAsync(gateway.McpUrl("upstream"), gateway.Token, ScenarioCalls(Scenario.Everything));

        AssertScenario(run, Scenario.Everything);
        Assert.Equal("2025-11-25", run.GetProperty("protocolVersion").GetString());
        Assert.StartsWith("mgs1.", run.GetProperty("sessionId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SdkUpstreamWithJsonResponses_TypeScriptClient_PolicyEnforcedOverJson()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await Scenario.Sdk.StartGatewayAsync(upstream.Url);
        var run = await TypeScriptClient.RunAsync(gateway.McpUrl("upstream"), gateway.Token, ScenarioCalls(Scenario.Sdk));

        AssertScenario(run, Scenario.Sdk);
        Scenario.AssertSdkUpstreamRan(upstream);
    }

    [Fact]
    public async Task WrongToken_TypeScriptClient_ConnectFailsWith401()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await Scenario.Sdk.StartGatewayAsync(upstream.Url);
        var run = await TypeScriptClient.RunAsync(gateway.McpUrl("upstream"), "not-a-grant-gateway.Token", []);

        Assert.False(run.GetProperty("ok").GetBoolean());
        Assert.Equal(401, run.GetProperty("error").GetProperty("httpStatus").GetInt32());
        Assert.Empty(upstream.RequestBodies);
    }

    private static JsonArray ScenarioCalls(Scenario scenario)
    {
        var calls = new JsonArray
        {
            Call(scenario.Allowed, scenario.AllowedArguments),
            Call(scenario.Denied, scenario.DeniedArguments),
            Call(scenario.Hidden, scenario.AllowedArguments),
        };
        for (var i = 0; i < Scenario.Limit + 2; i++)
        {
            calls.Add(Call(scenario.Limited, scenario.LimitedArguments));
        }

        return calls;
    }

    private static JsonObject Call(string name, JsonObject arguments) => new() { ["name"] = name, ["arguments"] = arguments.DeepClone() };

    private static void AssertScenario(JsonElement run, Scenario scenario)
    {
        Assert.True(run.GetProperty("ok").GetBoolean(), run.ToString());
        scenario.AssertListed(run.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToHashSet(StringComparer.Ordinal));

        var calls = run.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal(3 + Scenario.Limit + 2, calls.Length);

        Assert.False(calls[0].GetProperty("isError").ValueKind == JsonValueKind.True);
        Assert.Equal(scenario.AllowedText, calls[0].GetProperty("text").GetString());

        Assert.True(calls[1].GetProperty("isError").GetBoolean());
        Assert.Equal("Policy denied: " + Scenario.DenyReason, calls[1].GetProperty("text").GetString());
        Assert.Equal("deny", calls[1].GetProperty("_meta").GetProperty("mcp-gateway/policy").GetProperty("decision").GetString());

        Assert.True(calls[2].GetProperty("isError").GetBoolean());
        // Indistinguishable from an unknown tool (issue 16): the default's denial, not "hide".
        Assert.Equal("deny", calls[2].GetProperty("_meta").GetProperty("mcp-gateway/policy").GetProperty("decision").GetString());
        Assert.Equal("default", calls[2].GetProperty("_meta").GetProperty("mcp-gateway/policy").GetProperty("rule").GetString());

        var limited = calls[3..].Select(c => c.GetProperty("isError").ValueKind == JsonValueKind.True).ToArray();
        Assert.Equal([false, false, false, true, true], limited);
        Assert.All(calls[6..], c => Assert.Equal(
            "tools." + scenario.Limited + ".limits[0]",
            c.GetProperty("_meta").GetProperty("mcp-gateway/policy").GetProperty("rule").GetString()));
    }
}

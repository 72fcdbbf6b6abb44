namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// A hidden tool must be indistinguishable from an unknown one (issue 16): the same result for the agent and the
/// same decision line, whether it is hidden by a <c>hide</c> entry or by <c>"action": "hide"</c>, and it never
/// reaches the upstream.
/// </summary>
public sealed class HiddenToolTests
{
    [Fact]
    public async Task ToolsCall_HiddenToolUnderDefaultDeny_SameResultAndDecisionLineAsUnknownTool()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"deny","hide":["echo"],"tools":{"add":{"action":"hide","reason":"internal"}}}""");
        using var http = new RawHttp();

        var unknown = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("no_such_tool")));
        var hiddenByEntry = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("echo")));
        var hiddenByRule = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("add")));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(unknown.Status, hiddenByEntry.Status);
        Assert.Equal(unknown.Body, hiddenByEntry.Body);
        Assert.Equal(unknown.Body, hiddenByRule.Body);
        Assert.DoesNotContain("hide", unknown.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("internal", hiddenByRule.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.RequestBodies, b => b.Contains("tools/call", StringComparison.Ordinal));

        var lines = (await gateway.WaitForDecisionsAsync(3)).Select(Comparable).ToList();
        Assert.Equal(lines[0], lines[1]);
        Assert.Equal(lines[0], lines[2]);
        Assert.Contains("\"decision\":\"deny\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"default\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsCall_HiddenToolUnderDefaultAllow_UnknownToolErrorAndNeverForwarded()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"allow","hide":["echo"]}""");
        using var http = new RawHttp();

        var hidden = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("echo")));

        Assert.Equal(HttpStatusCode.OK, hidden.Status);
        Assert.Equal(-32602, hidden.ErrorCode);
        Assert.Equal("Unknown tool: echo", hidden.ErrorMessage);
        Assert.Equal(7, hidden.Message.GetProperty("id").GetInt32());
        Assert.DoesNotContain(upstream.RequestBodies, b => b.Contains("tools/call", StringComparison.Ordinal));
        var decision = Assert.Single(await gateway.WaitForDecisionsAsync(1));
        Assert.Equal(("deny", "default", "denied"), (decision.GetProperty("decision").GetString(), decision.GetProperty("rule").GetString(), decision.GetProperty("outcome").GetString()));
    }

    private static string Call(string tool) =>
        $$$$"""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"{{{{tool}}}}","arguments":{"message":"hi"}}}""";

    /// <summary>The decision line without what differs between any two calls: time, latency and the tool's name.</summary>
    private static string Comparable(JsonElement decision)
    {
        var fields = decision.EnumerateObject()
            .Where(p => p.Name is not ("time" or "latency_ms" or "tool"))
            .Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(",", fields) + "}";
    }
}

using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// A hidden tool must be indistinguishable from an unknown one (issue 16): the same result for the agent and the
/// same decision line, whether it is hidden by a <c>hide</c> entry or by <c>"action": "hide"</c>, and it never
/// reaches the upstream.
/// </summary>
public sealed class HiddenToolTests
{
    /// <summary>
    /// Hidden by an entry, by a rule, or under a prefix allow, a tool answers as one the policy never names; and a name
    /// the server does not list, permitted by a prefix, answers the same way, not forwarded for the server's own
    /// unknown-tool answer, which would tell the two apart.
    /// </summary>
    [Fact]
    public async Task ToolsCall_HiddenToolUnderDefaultDeny_SameResultAndDecisionLineAsUnknownTool()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"deny","hide":["echo","secret"],"tools":{"add":{"action":"hide","reason":"internal"},"s*":{}}}""");
        using var http = new RawHttp();

        var unknown = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("no_such_tool")));
        var hiddenByEntry = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("echo")));
        var hiddenByRule = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("add")));
        var hiddenUnderPrefix = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("secret")));
        var unlistedUnderPrefix = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("secrets_vault")));
        await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("sleep")));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.All(new[] { hiddenByEntry, hiddenByRule, hiddenUnderPrefix, unlistedUnderPrefix }, reply => Assert.Equal((unknown.Status, unknown.Body), (reply.Status, reply.Body)));
        Assert.DoesNotContain("hide", unknown.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("internal", hiddenByRule.Body, StringComparison.Ordinal);
        Assert.Equal(["sleep"], upstream.RequestBodies.Where(b => b.Contains("tools/call", StringComparison.Ordinal)).Select(b => JsonDocument.Parse(b).RootElement.GetProperty("params").GetProperty("name").GetString()));

        var lines = (await gateway.WaitForDecisionsAsync(6)).Select(Comparable).ToList();
        Assert.All(lines.Take(5), line => Assert.Equal(lines[0], line));
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

    /// <summary>
    /// server-everything answers an unknown tool with a tool result of its own wording, not the gateway's
    /// unknown-tool error: under <c>default: allow</c> a tool it does not list gets the hidden tool's answer.
    /// </summary>
    [Fact]
    public async Task ToolsCall_ServerEverythingUnlistedToolUnderDefaultAllow_SameErrorAsTheHiddenTool()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"allow","hide":["get-env"]}""");
        await using var client = await gateway.ConnectAsync("upstream");

        var hidden = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("get-env"));
        var unlisted = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("get-nothing"));
        var listed = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" });

        Assert.Equal(McpErrorCode.InvalidParams, hidden.ErrorCode);
        Assert.Equal(hidden.ErrorCode, unlisted.ErrorCode);
        Assert.Equal(hidden.Message.Replace("get-env", "NAME", StringComparison.Ordinal), unlisted.Message.Replace("get-nothing", "NAME", StringComparison.Ordinal));
        Assert.NotEqual(true, listed.IsError);
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

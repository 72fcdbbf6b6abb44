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

    /// <summary>
    /// A prefix rule permits a name the server does not have: answered as the hidden tool is (the default's
    /// denial), not forwarded for the server's own unknown-tool answer, which would tell the two apart.
    /// </summary>
    [Fact]
    public async Task ToolsCall_UnlistedToolPermittedByAPrefix_SameResultAndDecisionLineAsTheHiddenTool()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"deny","hide":["secret"],"tools":{"s*":{},"echo":{}}}""");
        using var http = new RawHttp();

        var unlisted = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("secrets_vault")));
        var hidden = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("secret")));
        var listed = await http.PostAsync(gateway.McpUrl("upstream"), gateway.Token, RawHttp.Json(Call("echo")));

        Assert.Equal(HttpStatusCode.OK, unlisted.Status);
        Assert.Equal(hidden.Body, unlisted.Body);
        Assert.Contains("default: deny", unlisted.Body, StringComparison.Ordinal);
        Assert.Contains("Echo: hi", listed.Body, StringComparison.Ordinal);
        Assert.Equal(["echo"], upstream.RequestBodies.Where(b => b.Contains("tools/call", StringComparison.Ordinal)).Select(b => JsonDocument.Parse(b).RootElement.GetProperty("params").GetProperty("name").GetString()));
        var lines = (await gateway.WaitForDecisionsAsync(3)).Select(Comparable).ToList();
        Assert.Equal(lines[1], lines[0]);
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

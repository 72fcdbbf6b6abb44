namespace McpGateway.IntegrationTests.Tools;

/// <summary>
/// A pinned server whose tools cannot be read (issue 15 fails such calls closed): the calls that wait for one read
/// fail with it, instead of each reading the silent server again in turn.
/// </summary>
public sealed class ToolCatalogFailureTests
{
    [Fact]
    public async Task SilentPinnedServer_ConcurrentCalls_OneReadAndAllRefused()
    {
        await using var silent = new SilentUpstreamFake();
        var config = new GatewayConfig()
            .Server("up", silent.Url, timeoutSeconds: 2)
            .Policy("open", """{"version":"1","default":"allow"}""")
            .Grant("agent", "up", "open", out var token)
            .Build();
        config["servers"]!["up"]!["tool_pins"] = new JsonObject { ["echo"] = "sha256:" + new string('0', 64) };
        await using var gateway = await GatewayProcess.StartAsync(config);

        var calls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RawToolCall.CallAsync(gateway.McpUrl("up"), token, "echo", """{"message":"hi"}""")));

        Assert.All(calls, c => Assert.Contains("could not read the tool definitions of server \"up\"", c.Text, StringComparison.Ordinal));
        Assert.Equal(1, silent.AcceptedConnections);
        var decisions = await gateway.WaitForDecisionsAsync(4);
        Assert.All(decisions, d => Assert.Equal("tools_unavailable", d.GetProperty("outcome").GetString()));
    }
}

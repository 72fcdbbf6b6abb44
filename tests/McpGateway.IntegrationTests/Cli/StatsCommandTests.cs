using McpGateway.Cli;

namespace McpGateway.IntegrationTests.Cli;

/// <summary>
/// <c>mcpgw stats</c> over a decision log that a real gateway wrote (EMF on, as on Lambda) for real calls: per-group
/// counts, the aligned table, JSON, <c>--since</c> and standard input.
/// </summary>
public sealed class StatsCommandTests : IAsyncLifetime
{
    private const string Policy = """
        {"version":"1","default":"deny","tools":{
          "echo":{},
          "add":{"limits":[{"counter":"add","window":31536000,"max":1}]},
          "missing_tool":{},
          "secret":{"action":"deny"}}}
        """;

    /// <summary>A decision from long ago, in the gateway's own format, for <c>--since</c>.</summary>
    private const string OldLine = """{"type":"decision","time":"2020-01-01T00:00:00+00:00","request_id":"9","grant":"agent","server":"upstream","tool":"echo","decision":"allow","rule":"tools.echo","outcome":"forwarded","policy":"p","policy_version":null,"argument_keys":[],"arguments_sha256":"x","latency_ms":1000,"upstream_status":200}""";

    private readonly string _log = Path.Combine(Path.GetTempPath(), "mcpgw-stats-" + Guid.NewGuid().ToString("N") + ".log");

    public async Task InitializeAsync()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("upstream", upstream.Url)
            .Policy("p", Policy)
            .Grant("agent", "upstream", "p", out var agent)
            .Grant("other", "upstream", "p", out var other);
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), new Dictionary<string, string?> { ["Gateway__Metrics__Emf"] = "true" });
        var url = gateway.McpUrl("upstream");
        for (var i = 0; i < 3; i++)
        {
            await RawToolCall.SendAsync(url, agent, "echo", """{"message":"hi"}""");
        }

        await RawToolCall.SendAsync(url, agent, "add", """{"a":1,"b":2}""");
        await RawToolCall.SendAsync(url, agent, "add", """{"a":1,"b":2}""");
        await RawToolCall.SendAsync(url, other, "secret", """{"message":"x"}""");
        await RawToolCall.SendAsync(url, other, "missing_tool", "{}");
        await gateway.WaitForDecisionsAsync(7);

        // The gateway's whole standard output, plus an audit-style line and an old decision, as a log file would hold.
        await File.WriteAllLinesAsync(_log, [.. gateway.Process.StandardOutput, """{"type":"approval","action":"approve"}""", OldLine]);
    }

    public Task DisposeAsync()
    {
        File.Delete(_log);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Stats_ByTool_PrintsAlignedTableWithEachToolsOutcomes()
    {
        var run = await RunAsync("stats", "--log", _log, "--since", "1h");

        Assert.True(run.Exit == 0, run.ToString());
        var lines = run.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(["tool", "calls", "forwarded", "denied", "rate_limited", "approvals", "upstream_failed", "store_errors", "p50_ms", "p99_ms"], Cells(lines[0]));
        Assert.Single(lines.Select(l => l.Length).Distinct());
        Assert.Equal(["upstream/echo", "3", "3", "0", "0", "0", "0", "0"], Cells(Row(lines, "upstream/echo"))[..8]);
        Assert.Equal(["upstream/add", "2", "1", "0", "1", "0", "0", "0"], Cells(Row(lines, "upstream/add"))[..8]);
        Assert.Equal(["upstream/secret", "1", "0", "1", "0", "0", "0", "0"], Cells(Row(lines, "upstream/secret"))[..8]);
        Assert.Equal(["upstream/missing_tool", "1", "0", "0", "0", "0", "1", "0"], Cells(Row(lines, "upstream/missing_tool"))[..8]);
        Assert.Equal(["(all)", "7", "4", "1", "1", "0", "1", "0"], Cells(lines[^1])[..8]);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"\d+\.\d$", l));
    }

    [Fact]
    public async Task Stats_ByGrantAsJson_CountsEachGrantAndOldLinesWithoutSince()
    {
        var run = await RunAsync("stats", "--log", _log, "--by", "grant", "--format", "json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal("grant", json.RootElement.GetProperty("by").GetString());
        Assert.Equal(["agent", "other"], groups.Keys.Order());

        // Without --since the old line counts, and its 1000 ms is the agent's p99.
        Assert.Equal(6, groups["agent"].GetProperty("calls").GetInt32());
        Assert.Equal(5, groups["agent"].GetProperty("forwarded").GetInt32());
        Assert.Equal(1, groups["agent"].GetProperty("rate_limited").GetInt32());
        Assert.Equal(1000, groups["agent"].GetProperty("latency_p99_ms").GetDouble());
        Assert.Equal(2, groups["other"].GetProperty("calls").GetInt32());
        Assert.Equal(1, groups["other"].GetProperty("denied").GetInt32());
        Assert.Equal(1, groups["other"].GetProperty("upstream_failed").GetInt32());
        Assert.Equal(8, json.RootElement.GetProperty("total").GetProperty("calls").GetInt32());
        Assert.InRange(groups["other"].GetProperty("latency_p50_ms").GetDouble(), 0, 1000);
    }

    [Fact]
    public async Task Stats_FromStandardInput_GroupsByServer()
    {
        var run = await CliProcess.RunWithInputAsync(await File.ReadAllTextAsync(_log), "stats", "--by", "server", "--since", "1d");
        var output = run.Output;

        Assert.True(run.Exit == 0, run.ToString());
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("server", Cells(lines[0])[0]);
        Assert.Equal(["upstream", "7", "4", "1", "1", "0", "1", "0"], Cells(Row(lines, "upstream"))[..8]);
    }

    [Fact]
    public async Task Stats_BadSinceOrMissingFile_ExitsWithSpecificError()
    {
        var badSince = await RunAsync("stats", "--log", _log, "--since", "5x");
        var missing = await RunAsync("stats", "--log", _log + ".absent");
        var badBy = await RunAsync("stats", "--log", _log, "--by", "argument");

        Assert.Equal(CliApp.UsageError, badSince.Exit);
        Assert.Contains("--since \"5x\" is not a duration", badSince.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.Exit);
        Assert.Equal(_log + ".absent: no such file", missing.Error.Trim());
        Assert.Equal(CliApp.UsageError, badBy.Exit);
    }

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Row(string[] lines, string key) => Assert.Single(lines, l => Cells(l)[0] == key);
}

namespace McpGateway.IntegrationTests.Cli;

/// <summary>
/// <c>mcpgw policy diff --log</c>, the built CLI run as its own process, over the decision log a real gateway wrote for
/// real calls: a tightened limit, a hide entry lifted, a prefix rule, and an argument condition the log cannot judge.
/// </summary>
public sealed class PolicyDiffCommandTests : IAsyncLifetime
{
    private const string Old = """
        {"version":"1","default":"deny","hide":["secret"],"tools":{
          "echo":{},
          "add":{"limits":[{"counter":"adds","window":31536000,"max":3}]},
          "charge":{"require":[{"path":"args.amount","op":"lte","value":5000}]},
          "sle*":{"action":"deny"}}}
        """;

    private const string New = """
        {"version":"1","default":"deny","tools":{
          "echo":{},
          "add":{"limits":[{"counter":"adds","window":31536000,"max":2}]},
          "charge":{"require":[{"path":"args.amount","op":"lte","value":1000}]},
          "secret":{},
          "sle*":{"action":"deny"}}}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-diff-").FullName;

    private string OldFile => Path.Combine(_directory, "old.json");

    private string NewFile => Path.Combine(_directory, "new.json");

    private string Log => Path.Combine(_directory, "gateway.log");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(OldFile, Old);
        await File.WriteAllTextAsync(NewFile, New);
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, Old);
        var url = gateway.McpUrl("upstream");
        await RawToolCall.SendAsync(url, gateway.Token, "echo", """{"message":"hi"}""");
        await RawToolCall.SendAsync(url, gateway.Token, "echo", """{"message":"again"}""");
        for (var i = 0; i < 3; i++)
        {
            await RawToolCall.SendAsync(url, gateway.Token, "add", """{"a":1,"b":2}""");
        }

        await RawToolCall.SendAsync(url, gateway.Token, "charge", """{"amount":2500}""");
        await RawToolCall.SendAsync(url, gateway.Token, "charge", "{}");
        await RawToolCall.SendAsync(url, gateway.Token, "secret", """{"message":"x"}""");
        await RawToolCall.SendAsync(url, gateway.Token, "sleep", """{"milliseconds":1}""");
        var decisions = await gateway.WaitForDecisionsAsync(9);

        // The calls went as the old policy says: the log is the old policy's own.
        Assert.Equal(["forwarded", "forwarded", "forwarded", "forwarded", "forwarded", "forwarded", "denied", "denied", "denied"], decisions.Select(d => GatewayConfig.Text(d, "outcome")));
        await File.WriteAllLinesAsync(Log, [.. gateway.Process.StandardOutput, """{"type":"approval","action":"approve"}"""]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Diff_OverTheGatewaysLogAsJson_ReportsTheLimitAndUnhiddenToolAndTheConditionItCannotJudge()
    {
        var run = await CliProcess.RunAsync("policy", "diff", OldFile, NewFile, "--log", Log, "--format", "json");

        Assert.True(run.Exit == 1, run.ToString());
        using var report = JsonDocument.Parse(run.Output);
        var root = report.RootElement;
        Assert.Equal(
            [("add", "allow", "tools.add", "deny", "tools.add.limits[0]"), ("secret", "hide", "hide[0]", "allow", "tools.secret")],
            root.GetProperty("changed").EnumerateArray().Select(c => (Text(c, "tool"), Text(c.GetProperty("old"), "decision"), Text(c.GetProperty("old"), "rule"), Text(c.GetProperty("new"), "decision"), Text(c.GetProperty("new"), "rule"))));
        Assert.All(root.GetProperty("changed").EnumerateArray(), c => Assert.Equal(("agent", "upstream"), (Text(c, "grant"), Text(c, "server"))));
        Assert.Equal(6, root.GetProperty("unchanged").GetInt32());
        var undecidable = Assert.Single(root.GetProperty("undecidable").EnumerateArray());
        Assert.Equal("charge", Text(undecidable, "tool"));
        Assert.Equal(("undecidable", "tools.charge.require[0]", "args.amount lte 5000"), Side(undecidable.GetProperty("old")));
        Assert.Equal(("undecidable", "tools.charge.require[0]", "args.amount lte 1000"), Side(undecidable.GetProperty("new")));
        Assert.Equal(0, root.GetProperty("old_disagrees_with_log").GetInt32());
        Assert.Equal(0, root.GetProperty("unreadable_lines").GetInt32());
    }

    [Fact]
    public async Task Diff_TheLogAgainstThePolicyThatWroteIt_ReportsNoChangeAndExitsZero()
    {
        var run = await CliProcess.RunAsync("policy", "diff", OldFile, OldFile, "--log", Log);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("9 logged calls replayed: 0 change decision, 9 do not, 0 undecidable\n", run.Output);
    }

    [Fact]
    public async Task Diff_FromStandardInputAsTable_GroupsTheChangedCallsWithCounts()
    {
        var run = await CliProcess.RunWithInputAsync(await File.ReadAllTextAsync(Log), "policy", "diff", OldFile, NewFile, "--log", "-");
        var output = run.Output;

        Assert.True(run.Exit == 1, run.ToString());
        var lines = output.Split('\n');
        Assert.Equal("9 logged calls replayed: 2 change decision, 6 do not, 1 undecidable", lines[0]);
        Assert.Equal(["server/tool", "grant", "old", "new", "calls"], Cells(lines[2]));
        Assert.Equal(["upstream/add", "agent", "allow", "(tools.add)", "deny", "(tools.add.limits[0])", "1"], Cells(Row(lines, "upstream/add")));
        Assert.Equal(["upstream/secret", "agent", "hide", "(hide[0])", "allow", "(tools.secret)", "1"], Cells(Row(lines, "upstream/secret")));
        Assert.Matches(@"^upstream/charge +agent +undecidable: args\.amount lte 5000 \(tools\.charge\.require\[0\]\) +undecidable: args\.amount lte 1000 \(tools\.charge\.require\[0\]\) +1$", Row(lines, "upstream/charge"));
    }

    [Fact]
    public async Task Diff_WithoutLog_ComparesTheDocumentsToolByTool()
    {
        var run = await CliProcess.RunAsync("policy", "diff", OldFile, NewFile, "--format", "json");

        Assert.True(run.Exit == 1, run.ToString());
        using var report = JsonDocument.Parse(run.Output);
        var tools = report.RootElement.GetProperty("tools").EnumerateArray().ToDictionary(t => Text(t, "tool"), t => Text(t, "change"));
        Assert.Equal(
            new Dictionary<string, string> { ["add"] = "changed", ["charge"] = "changed", ["echo"] = "none", ["secret"] = "changed", ["sle*"] = "none" },
            tools);
        Assert.Equal("none", Text(report.RootElement.GetProperty("default"), "change"));
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    private static (string, string, string) Side(JsonElement side) => (Text(side, "decision"), Text(side, "rule"), Text(side, "needs"));

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Row(string[] lines, string key) => Assert.Single(lines, l => l.StartsWith(key + " ", StringComparison.Ordinal));
}

using McpGateway.Cli;
using McpGateway.Tests.Cli.Diff;

namespace McpGateway.Tests.Cli;

/// <summary><c>mcpgw policy diff</c>'s exit codes and output shapes (the replay over a real gateway's log is in the integration tests).</summary>
public sealed class PolicyDiffCommandTests : IDisposable
{
    private const string Policy = """{"version":"1","default":"deny","tools":{"echo":{},"add":{"action":"approve"}}}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-diff-cmd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Diff_SameDocument_PrintsEveryRowUnchangedAndExitsZero()
    {
        var file = Write("old.json", Policy);

        var (exit, output, _) = await Run("policy", "diff", file, file);

        Assert.Equal(0, exit);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(["tool", "change", "old", "new"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("add               none    approve (tools.add): approval expires after 900 s  approve (tools.add): approval expires after 900 s", lines[1]);
        Assert.StartsWith("(any other tool)  none    deny (default)", lines[3], StringComparison.Ordinal);
        Assert.Equal("0 of 3 changed", lines[^1]);
    }

    [Fact]
    public async Task Diff_ToolDenied_JsonNamesBothSidesAndExitsOne()
    {
        var old = Write("old.json", Policy);
        var @new = Write("new.json", Policy.Replace("\"echo\":{}", "\"echo\":{\"action\":\"deny\"}", StringComparison.Ordinal));

        var (exit, output, _) = await Run("policy", "diff", old, @new, "--format", "json");

        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var echo = Assert.Single(report.RootElement.GetProperty("tools").EnumerateArray(), t => t.GetProperty("tool").GetString() == "echo");
        Assert.Equal("changed", echo.GetProperty("change").GetString());
        Assert.Equal("""{"decision":"allow","rule":"tools.echo","conditions":[],"limits":[]}""", echo.GetProperty("old").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Equal("deny", echo.GetProperty("new").GetProperty("decision").GetString());
        Assert.True(report.RootElement.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task Diff_LogWithNothingThatChanges_ExitsZero()
    {
        var file = Write("old.json", Policy);
        var log = Write("log", LogLines.Line(LogLines.Entry("echo", 1)) + "\n");

        var (exit, output, _) = await Run("policy", "diff", file, file, "--log", log, "--format", "json");

        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(0, report.RootElement.GetProperty("changed").GetArrayLength());
        Assert.Equal(1, report.RootElement.GetProperty("unchanged").GetInt32());
    }

    /// <summary>A reviewer's log held calls the tool pins refused; diffing its policy against itself printed "the log was not (only) written under it".</summary>
    [Fact]
    public async Task Diff_ItsOwnLogWithPinRefusals_ExitsZeroWithoutTheNote()
    {
        var file = Write("old.json", Policy);
        var log = Write("log", string.Join('\n',
            LogLines.Line(LogLines.Entry("echo", 1, decision: "deny", rule: "tool_pins", outcome: "tool_drift")),
            LogLines.Line(LogLines.Entry("echo", 2, decision: "deny", rule: "tool_pins", outcome: "tools_unavailable")),
            LogLines.Line(LogLines.Entry("echo", 3))) + "\n");

        var (exit, output, _) = await Run("policy", "diff", file, file, "--log", log);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("note:", output, StringComparison.Ordinal);
        Assert.StartsWith("3 logged calls replayed: 0 change decision, 3 do not", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_InvalidDocumentMissingLogOrBadFormat_ExitsWithUsageError()
    {
        var good = Write("good.json", Policy);
        var bad = Write("bad.json", """{"version":"1","default":"maybe"}""");

        var invalid = await Run("policy", "diff", good, bad);
        var missing = await Run("policy", "diff", good, good, "--log", Path.Combine(_directory, "absent.log"));
        var format = await Run("policy", "diff", good, good, "--format", "yaml");
        var unreadable = await Run("policy", "diff", Path.Combine(_directory, "absent.json"), good);

        Assert.Equal(CliApp.UsageError, invalid.Exit);
        Assert.Contains("bad.json: the policy is invalid:", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(CliApp.UsageError, missing.Exit);
        Assert.EndsWith("absent.log: no such file", missing.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(CliApp.UsageError, format.Exit);
        Assert.Equal(CliApp.UsageError, unreadable.Exit);
        Assert.Contains("cannot read the file", unreadable.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var file = Path.Combine(_directory, name);
        File.WriteAllText(file, text);
        return file;
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}

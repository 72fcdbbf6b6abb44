using McpGateway.Cli;

namespace McpGateway.Tests.Cli;

/// <summary>
/// <c>mcpgw policy validate|check</c> run in-process against policy files on disk: the exit codes and
/// output the docs/configuration.md documents ("The mcpgw CLI").
/// </summary>
public sealed class PolicyCommandTests : IDisposable
{
    private const string Policy = """
        {
          "version": "1",
          "default": "deny",
          "hide": ["secret"],
          "all_tools": { "limits": [ { "counter": "calls", "window": "minute", "max": 60 } ] },
          "tools": {
            "charge": {
              "require": [ { "path": "args.amount", "op": "lte", "value": 500 } ],
              "limits": [ { "counter": "amount", "window": "day", "max": 5000, "increment_from": "args.amount", "scope": "session" } ]
            },
            "refund": { "action": "deny", "reason": "Refunds are manual." },
            "payout": { "action": "approve", "approval": { "timeout": "30m" } }
          }
        }
        """;

    private const string TwoProblems = """
        {
          "version": "1",
          "default": "maybe",
          "tools": { "t": { "acton": "deny" } }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Class(string categoryAndRisk) => $"  class:  {categoryAndRisk} risk (from the name alone; mcpgw scan also reads the description and schema)";

    [Fact]
    public async Task Validate_ValidFiles_ExitsZeroWithOneSummaryLineEach()
    {
        var first = Write("policy.json", Policy);
        var second = Write("open.json", """{"version":"1","default":"allow"}""");

        var run = await Run("policy", "validate", first, second);

        Assert.Equal(0, run.Exit);
        Assert.Equal(
            [$"{first}: valid (default deny, 3 tool rule(s), 1 hidden)", $"{second}: valid (default allow, 0 tool rule(s), 0 hidden)"],
            run.OutputLines);
    }

    [Fact]
    public async Task Validate_InvalidFile_ExitsOneWithOneLinePerProblem()
    {
        var file = Write("bad.json", TwoProblems);

        var run = await Run("policy", "validate", file);

        Assert.Equal(1, run.Exit);
        Assert.Equal(
            [
                $"{file}: default: must be \"allow\" or \"deny\", not \"maybe\" (line 3, column 14)",
                $"{file}: tools.t.acton: unknown field \"acton\" (allowed here: action, reason, require, deny_if, limits, approval, mode, validate_arguments) (line 4, column 21)",
            ],
            run.OutputLines);
    }

    [Fact]
    public async Task Validate_ValidAndInvalidFiles_ExitsOneAndReportsEachFile()
    {
        var good = Write("good.json", Policy);
        var bad = Write("bad.json", TwoProblems);
        var missing = Path.Combine(_directory, "missing.json");

        var run = await Run("policy", "validate", bad, good, missing);

        Assert.Equal(1, run.Exit);
        Assert.Equal(4, run.OutputLines.Length);
        Assert.StartsWith($"{bad}: default: ", run.OutputLines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{bad}: tools.t.acton: ", run.OutputLines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{good}: valid ", run.OutputLines[2], StringComparison.Ordinal);
        Assert.StartsWith($"{missing}: cannot read the file: ", run.OutputLines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FileWithInvalidUtf8_ReportsTheProblemInsteadOfFailing()
    {
        var file = Path.Combine(_directory, "latin1.json");
        File.WriteAllBytes(file, [.. "{\"version\":\"1\",\"default\":\""u8, 0xFF, .. "\"}"u8]);

        var run = await Run("policy", "validate", file);

        Assert.Equal(1, run.Exit);
        Assert.Equal([$"{file}: $: invalid JSON: Cannot transcode invalid UTF-8 JSON text to UTF-16 string (line 1, column 26)"], run.OutputLines);
    }

    [Fact]
    public async Task Validate_NoFile_ExitsWithUsageError()
    {
        var run = await Run("policy", "validate");

        Assert.Equal(64, run.Exit);
        Assert.Contains("FILE", run.Error + run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charge", """{"amount":120}""", 0)]
    [InlineData("charge", """{"amount":501}""", 2)]
    [InlineData("refund", "{}", 2)]
    [InlineData("unlisted", "{}", 2)]
    [InlineData("secret", "{}", 2)]
    [InlineData("bad name", "{}", 2)]
    [InlineData("payout", "{}", 3)]
    public async Task Check_Decision_SetsTheDocumentedExitCode(string tool, string arguments, int exit)
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", tool, "--args", arguments);

        Assert.Equal(exit, run.Exit);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Check_DeniedCall_PrintsTheRuleAndReason()
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", "refund");

        Assert.Equal(["deny refund", "  rule:   tools.refund", "  reason: Refunds are manual.", Class("financial, critical")], run.OutputLines);
    }

    [Fact]
    public async Task Check_HiddenTool_PrintsHide()
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", "secret");

        Assert.Equal(2, run.Exit);
        Assert.Equal(["hide secret", "  rule:   hide[0]", "  reason: this tool is not available", Class("write, medium")], run.OutputLines);
    }

    [Fact]
    public async Task Check_AllowedCallWithLimits_PrintsEachLimitItWouldReserve()
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", "charge", "--args", """{"amount":120}""");

        Assert.Equal(["allow charge", "  rule:   tools.charge"], run.OutputLines[..2]);
        Assert.Equal(6, run.OutputLines.Length);
        Assert.Contains(run.OutputLines, l => l.StartsWith("  limit:  amount +120 of at most 5000 per 86400 s (session scope, tools.charge.limits[0]), window ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, l => l.StartsWith("  limit:  calls +1 of at most 60 per 60 s (grant scope, all_tools.limits[0]), window ", StringComparison.Ordinal));
        Assert.Equal("  (limits are shown, not counted)", run.OutputLines[^2]);
        Assert.Equal(Class("financial, critical"), run.OutputLines[^1]);
    }

    [Fact]
    public async Task Check_Json_PrintsDecisionRuleAndLimitsAsJson()
    {
        var file = Write("policy.json", Policy);
        var before = DateTimeOffset.UtcNow;

        var run = await Run("policy", "check", file, "--tool", "charge", "--args", """{"amount":120}""", "--grant", "ci", "--server", "billing", "--session", "s-42", "--json");

        Assert.Equal(0, run.Exit);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("allow", root.GetProperty("decision").GetString());
        Assert.Equal("charge", root.GetProperty("tool").GetString());
        Assert.Equal("tools.charge", root.GetProperty("rule").GetString());
        var limits = root.GetProperty("limits").EnumerateArray().ToDictionary(l => l.GetProperty("counter").GetString()!);
        Assert.Equal(["amount", "calls"], limits.Keys.Order(StringComparer.Ordinal));

        var amount = limits["amount"];
        Assert.Equal("session", amount.GetProperty("scope").GetString());
        Assert.Equal("tools.charge.limits[0]", amount.GetProperty("rule").GetString());
        Assert.Equal(120, amount.GetProperty("increment").GetInt64());
        Assert.Equal(5000, amount.GetProperty("max").GetInt64());
        Assert.Equal(86400, amount.GetProperty("window_seconds").GetInt64());
        Assert.StartsWith("billing/session:s-42/amount/86400/", amount.GetProperty("key").GetString(), StringComparison.Ordinal);
        var start = amount.GetProperty("window_start").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(1), amount.GetProperty("window_end").GetDateTimeOffset() - start);
        Assert.Equal(TimeSpan.Zero, start.TimeOfDay);
        Assert.InRange(start, before.AddDays(-1), DateTimeOffset.UtcNow);

        Assert.StartsWith("billing/grant:ci/calls/60/", limits["calls"].GetProperty("key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_JsonForApproval_IncludesTheTimeoutAndOmitsNothingRequired()
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", "payout", "--json");

        Assert.Equal(3, run.Exit);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("approve", json.RootElement.GetProperty("decision").GetString());
        Assert.Equal("tools.payout", json.RootElement.GetProperty("rule").GetString());
        Assert.Equal(1800, json.RootElement.GetProperty("approval_timeout_seconds").GetDouble());
        Assert.Single(json.RootElement.GetProperty("limits").EnumerateArray());
    }

    [Fact]
    public async Task Check_InvalidPolicy_ExitsOneWithTheProblemsOnStandardError()
    {
        var file = Write("bad.json", TwoProblems);

        var run = await Run("policy", "check", file, "--tool", "t");

        Assert.Equal(1, run.Exit);
        Assert.Equal("", run.Output);
        Assert.Equal(
            [
                $"{file}: the policy is invalid:",
                "  default: must be \"allow\" or \"deny\", not \"maybe\" (line 3, column 14)",
                "  tools.t.acton: unknown field \"acton\" (allowed here: action, reason, require, deny_if, limits, approval, mode, validate_arguments) (line 4, column 21)",
            ],
            Lines(run.Error));
    }

    [Fact]
    public async Task Check_MissingTool_ExitsWithUsageError()
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file);

        Assert.Equal(64, run.Exit);
        Assert.Contains("--tool", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "--args must be a JSON object")]
    [InlineData("\"amount\"", "--args must be a JSON object")]
    [InlineData("null", "--args must be a JSON object")]
    [InlineData("{\"amount\":", "--args is not valid JSON")]
    [InlineData("{\"a\":1,\"a\":2}", "--args is not valid JSON")]
    public async Task Check_ArgsNotAJsonObject_ExitsWithUsageError(string arguments, string message)
    {
        var file = Write("policy.json", Policy);

        var run = await Run("policy", "check", file, "--tool", "charge", "--args", arguments);

        Assert.Equal(64, run.Exit);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Policy_UnknownSubcommand_ExitsWithUsageError()
    {
        var run = await Run("policy", "lint", "x.json");

        Assert.Equal(64, run.Exit);
    }

    [Fact]
    public async Task Check_Help_ExitsZeroAndDescribesTheExitCodes()
    {
        var run = await Run("policy", "check", "--help");

        Assert.Equal(0, run.Exit);
        Assert.Contains("Exit 0 allow, 2 deny or hide, 3 approve, 1 invalid policy", run.Output, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<CliRun> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private sealed record CliRun(int Exit, string Output, string Error)
    {
        public string[] OutputLines => Lines(Output);
    }
}

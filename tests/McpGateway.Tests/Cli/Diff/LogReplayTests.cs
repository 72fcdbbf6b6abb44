using McpGateway.Cli.Diff;
using McpGateway.Tests.Policy;
using static McpGateway.Tests.Cli.Diff.LogLines;

namespace McpGateway.Tests.Cli.Diff;

/// <summary>The log replay of <c>mcpgw policy diff --log</c>: decisions, counters in time order, and what stays undecidable.</summary>
public sealed class LogReplayTests
{
    private const string Charges = """
        {"version":"1","default":"deny","tools":{
          "create_charge":{"require":[{"path":"args.amount","op":"lte","value":5000}]},
          "list_charges":{"limits":[{"counter":"lists","window":"minute","max":2}]}}}
        """;

    [Fact]
    public void Replay_ConditionOnLoggedArgument_IsUndecidableWithTheCondition()
    {
        var tighter = Charges.Replace("5000", "1000", StringComparison.Ordinal);

        var replay = Run(Charges, tighter, Entry("create_charge", 1, ["amount"]));

        var call = Assert.Single(replay.Undecidable);
        Assert.Equal(("undecidable", "tools.create_charge.require[0]", "args.amount lte 5000"), (call.Old.Decision, call.Old.Rule, call.Old.Needs));
        Assert.Equal("args.amount lte 1000", call.New.Needs);
        Assert.Empty(replay.Changed);
    }

    [Fact]
    public void Replay_ConditionOnArgumentTheCallLacked_IsDecidedAsMissing()
    {
        var replay = Run(Charges, Charges.Replace("5000", "1000", StringComparison.Ordinal), Entry("create_charge", 1, ["currency"], "deny", "tools.create_charge.require[0]", "denied"));

        Assert.Empty(replay.Undecidable);
        Assert.Equal(1, replay.Unchanged);
        Assert.Equal(0, replay.OldDisagreesWithLog);
    }

    [Fact]
    public void Replay_SameConditionsWithoutLimits_IsUnchangedWhateverTheValues()
    {
        var renamedReason = Charges.Replace("\"create_charge\":{", "\"create_charge\":{\"reason\":\"too much\",", StringComparison.Ordinal);

        var replay = Run(Charges, renamedReason, Entry("create_charge", 1, ["amount"]));

        Assert.Empty(replay.Undecidable);
        Assert.Equal(1, replay.Unchanged);
    }

    [Fact]
    public void Replay_LowerMax_DeniesTheCallsOverItInTimeOrderPerGrantAndWindow()
    {
        var lower = Charges.Replace("\"max\":2", "\"max\":1", StringComparison.Ordinal);

        // Out of order on purpose: the replay sorts by time.
        var replay = Run(
            Charges,
            lower,
            Entry("list_charges", 3),
            Entry("list_charges", 1),
            Entry("list_charges", 2, grant: "other"),
            Entry("list_charges", 61));

        var changed = Assert.Single(replay.Changed);
        Assert.Equal(Start.AddSeconds(3), changed.Call.Time);
        Assert.Equal(new ReplayVerdict("allow", "tools.list_charges"), changed.Old);
        Assert.Equal(new ReplayVerdict("deny", "tools.list_charges.limits[0]"), changed.New);
        Assert.Equal(3, replay.Unchanged);
    }

    [Fact]
    public void Replay_OldPolicyOverItsOwnLimitedLog_AgreesWithEveryLine()
    {
        var replay = Run(
            Charges,
            Charges,
            Entry("list_charges", 1),
            Entry("list_charges", 2, outcome: "upstream_error"),
            Entry("list_charges", 3),
            Entry("list_charges", 4, decision: "deny", rule: "tools.list_charges.limits[0]", outcome: "rate_limited"));

        // The upstream_error call had its quota given back, so the third call still fit.
        Assert.Equal(0, replay.OldDisagreesWithLog);
        Assert.Equal(4, replay.Unchanged);
    }

    /// <summary>
    /// Calls refused by the server's tool pins (tool_drift) or because its tool definitions could not be read
    /// (tools_unavailable) were not the policy's decision and counted nothing; a reviewer's log of them made the old
    /// policy "disagree with the log" against itself.
    /// </summary>
    [Fact]
    public void Replay_RefusedByToolDefinitions_AgreesWithTheLogAndCountsNothing()
    {
        var replay = Run(
            Charges,
            Charges,
            Entry("list_charges", 1),
            Entry("list_charges", 2, decision: "deny", rule: "tool_pins", outcome: "tool_drift"),
            Entry("list_charges", 3, decision: "deny", rule: "tool_pins", outcome: "tools_unavailable"),
            Entry("list_charges", 4),
            Entry("list_charges", 5, decision: "deny", rule: "tools.list_charges.limits[0]", outcome: "rate_limited"));

        Assert.Equal(0, replay.OldDisagreesWithLog);
        Assert.Equal(5, replay.Unchanged);
    }

    /// <summary>They are still calls of the log: a new document that denies the tool changes their decision.</summary>
    [Fact]
    public void Replay_PinRefusalUnderADenyingNewDocument_ReportsTheChange()
    {
        var denying = Charges.Replace("\"list_charges\":{", "\"list_charges\":{\"action\":\"deny\",", StringComparison.Ordinal);

        var replay = Run(Charges, denying, Entry("list_charges", 1, decision: "deny", rule: "tool_pins", outcome: "tool_drift"));

        var changed = Assert.Single(replay.Changed);
        Assert.Equal(new ReplayVerdict("allow", "tools.list_charges"), changed.Old);
        Assert.Equal("deny", changed.New.Decision);
        Assert.Equal(0, replay.OldDisagreesWithLog);
    }

    [Fact]
    public void Replay_ValidateArgumentsTurnedOn_IsUndecidableAndAgainstItselfNoChange()
    {
        const string Open = """{"version":"1","default":"deny","tools":{"deploy":{}}}""";
        const string Validated = """{"version":"1","default":"deny","tools":{"deploy":{"validate_arguments":true}}}""";

        var replay = Run(Open, Validated, Entry("deploy", 1, ["target"]));
        var itself = Run(Validated, Validated, Entry("deploy", 1, ["target"]));

        var call = Assert.Single(replay.Undecidable);
        Assert.Equal(("tools.deploy.validate_arguments", "the tool's inputSchema and the argument values"), (call.New.Rule, call.New.Needs));
        Assert.Equal((0, 1), (itself.Undecidable.Count, itself.Unchanged));
    }

    [Fact]
    public void Replay_IncrementFromALoggedArgument_IsUndecidableAndSoIsTheRestOfTheWindow()
    {
        const string Counted = """
            {"version":"1","default":"deny","tools":{
              "create_charge":{"limits":[{"counter":"amount","window":"minute","max":10000,"increment_from":"args.amount"},{"counter":"calls","window":"minute","max":100}]},
              "refund":{"limits":[{"counter":"calls","window":"minute","max":100}]}}}
            """;

        // The new document lets more amount through: a charge of unknown amount may be admitted by one and not the
        // other, and so may every call that counts in "calls" after it.
        var wider = Counted.Replace("\"max\":10000", "\"max\":20000", StringComparison.Ordinal);
        McpGateway.Logging.DecisionLogEntry[] entries =
        [
            Entry("create_charge", 1, ["amount"]),
            Entry("refund", 2),
            Entry("refund", 70),
            Entry("create_charge", 71, ["currency"], "deny", "tools.create_charge.limits[0]", "denied"),
        ];
        var replay = Run(Counted, wider, entries);

        Assert.Equal(
            [("create_charge", "increment_from args.amount"), ("refund", "counter \"calls\" after an undecidable call")],
            replay.Undecidable.Select(c => (c.Call.Tool, c.New.Needs)));

        // A new window starts a known count; a missing increment_from argument is a known denial.
        Assert.Equal(2, replay.Unchanged);
        Assert.Equal(0, replay.OldDisagreesWithLog);

        // Against itself the same log is no change, call by call: one document decides alike whatever the amount was.
        var itself = Run(Counted, Counted, entries);
        Assert.Empty(itself.Undecidable);
        Assert.Equal(4, itself.Unchanged);
    }

    [Fact]
    public void Replay_SessionScopedLimit_IsUndecidable()
    {
        const string PerSession = """{"version":"1","default":"allow","all_tools":{"limits":[{"counter":"s","window":"minute","max":5,"scope":"session"}]}}""";

        var replay = Run(PerSession, """{"version":"1","default":"allow"}""", Entry("anything", 1, rule: "default"));

        var call = Assert.Single(replay.Undecidable);
        Assert.Equal("all_tools.limits[0]", call.Old.Rule);
        Assert.Equal(new ReplayVerdict("allow", "default"), call.New);
    }

    [Fact]
    public void Replay_SessionScopedLimitOfACallWaitingForApproval_IsDecided()
    {
        const string Approve = """{"version":"1","default":"deny","tools":{"refund":{"action":"approve","limits":[{"counter":"s","window":"minute","max":5,"scope":"session"}]}}}""";

        var replay = Run(Approve, Approve.Replace("approve", "deny", StringComparison.Ordinal), Entry("refund", 1, decision: "approve", outcome: "approval_pending"));

        var changed = Assert.Single(replay.Changed);
        Assert.Equal(new ReplayVerdict("approve", "tools.refund"), changed.Old);
        Assert.Equal(0, replay.OldDisagreesWithLog);
    }

    [Fact]
    public void Replay_HiddenTool_MatchesTheLoggedUnknownToolDenialAndChangesWhenUnhidden()
    {
        const string Hidden = """{"version":"1","default":"deny","hide":["secret"]}""";

        var replay = Run(Hidden, """{"version":"1","default":"deny","tools":{"secret":{}}}""", Entry("secret", 1, decision: "deny", rule: "default", outcome: "denied"));

        var changed = Assert.Single(replay.Changed);
        Assert.Equal(new ReplayVerdict("hide", "hide[0]"), changed.Old);
        Assert.Equal(new ReplayVerdict("allow", "tools.secret"), changed.New);
        Assert.Equal(0, replay.OldDisagreesWithLog);
    }

    /// <summary>
    /// While a policy hides a tool, a permitted call to a tool the server does not list is answered and logged as the
    /// hidden one is; the log cannot say the tool was unlisted, so such a line agrees with the policy that wrote it.
    /// </summary>
    [Fact]
    public void Replay_UnlistedToolAnsweredAsHidden_AgreesWithThePolicyThatHides()
    {
        const string HidesOne = """{"version":"1","default":"allow","hide":["secret"]}""";
        const string HidesNone = """{"version":"1","default":"allow"}""";
        var unlisted = Entry("no_such_tool", 1, decision: "deny", rule: "default", outcome: "denied");

        var underItsPolicy = Run(HidesOne, HidesOne, unlisted);
        var underAnother = Run(HidesNone, HidesNone, unlisted);

        Assert.Equal(0, underItsPolicy.OldDisagreesWithLog);
        Assert.Empty(underItsPolicy.Changed);
        Assert.Equal(1, underAnother.OldDisagreesWithLog);
    }

    [Fact]
    public void Replay_LogFromAnotherPolicy_CountsTheDisagreements()
    {
        var replay = Run(Charges, Charges, Entry("delete_customer", 1), Entry("list_charges", 2));

        Assert.Equal(1, replay.OldDisagreesWithLog);
    }

    [Fact]
    public void Reader_SkipsOtherLinesAndCountsBrokenOnes()
    {
        var reader = new DecisionLogReader();
        reader.Add("""{"type":"approval","action":"approve"}""");
        reader.Add("START RequestId: 1 Version: $LATEST");
        reader.Add("2026-11-20T12:00:00Z\t1\tINFO\t" + Line(Entry("list_charges", 1)));
        reader.Add("""{"type":"decision","time":"2026-11-20T12:00:00Z","grant":"a"}""");
        reader.Add("{not json");

        Assert.Equal("list_charges", Assert.Single(reader.Calls).Tool);
        Assert.Equal(2, reader.Unreadable);
    }

    private static LogReplay Run(string oldJson, string newJson, params McpGateway.Logging.DecisionLogEntry[] entries) =>
        LogReplay.Run(PolicyTestKit.Compile(oldJson), PolicyTestKit.Compile(newJson), Read(entries));
}

using McpGateway.Cli.Diff;
using McpGateway.Tests.Policy;

namespace McpGateway.Tests.Cli.Diff;

/// <summary><c>mcpgw policy diff OLD NEW</c> without a log: each tool either document names, and the default, side by side.</summary>
public sealed class StaticDiffTests
{
    private const string Old = """
        {"version":"1","default":"deny","hide":["internal_*"],
         "all_tools":{"limits":[{"counter":"all","window":"minute","max":100}]},
         "tools":{
           "delete_*":{"action":"deny"},
           "create_charge":{"require":[{"path":"args.currency","op":"eq","value":"usd"}],
                            "limits":[{"counter":"charges","window":"hour","max":10}]},
           "list_charges":{}}}
        """;

    [Fact]
    public void Compare_SameDocument_EveryRowUnchanged()
    {
        var rows = StaticDiff.Compare(PolicyTestKit.Compile(Old), PolicyTestKit.Compile(Old));

        Assert.Equal(["create_charge", "delete_*", "internal_*", "list_charges", null], rows.Select(r => r.Tool));
        Assert.All(rows, r => Assert.Equal("none", r.Change));
        Assert.False(StaticDiff.HasChanges(rows));
    }

    [Fact]
    public void Compare_ExactRuleUnderDeniedPrefix_ShowsDenyByPrefixThenApproval()
    {
        var @new = ListChargesAs("\"list_charges\":{},\"delete_branch\":{\"action\":\"approve\",\"approval\":{\"timeout\":\"5m\"}}");

        var row = Row(AgainstOld(@new), "delete_branch");

        Assert.Equal("changed", row.Change);
        Assert.Equal("deny (tools.delete_*)", row.Old.Text());
        Assert.Equal("approve (tools.delete_branch): limit all at most 100 per 60 s per grant; approval expires after 300 s", row.New.Text());
    }

    [Fact]
    public void Compare_TightenedConditionAndLimit_ShowsBothSides()
    {
        var @new = Old.Replace("\"usd\"", "\"eur\"", StringComparison.Ordinal).Replace("\"max\":10}", "\"max\":5,\"scope\":\"server\"}", StringComparison.Ordinal);

        var row = Row(AgainstOld(@new), "create_charge");

        Assert.Equal("changed", row.Change);
        Assert.Equal(
            "allow (tools.create_charge): require args.currency eq \"usd\"; limit all at most 100 per 60 s per grant; limit charges at most 10 per 3600 s per grant",
            row.Old.Text());
        Assert.Equal(
            "allow (tools.create_charge): require args.currency eq \"eur\"; limit all at most 100 per 60 s per grant; limit charges at most 5 per 3600 s per server",
            row.New.Text());
    }

    [Fact]
    public void Compare_HideEntryBecomesDenyRule_ChangesFromHideToDeny()
    {
        var @new = Old.Replace("\"hide\":[\"internal_*\"],", "", StringComparison.Ordinal).Replace("\"list_charges\":{}", "\"list_charges\":{},\"internal_*\":{\"action\":\"deny\"}", StringComparison.Ordinal);

        var row = Row(AgainstOld(@new), "internal_*");

        Assert.Equal("changed", row.Change);
        Assert.Equal("hide (hide[0])", row.Old.Text());
        Assert.Equal("deny (tools.internal_*)", row.New.Text());
    }

    [Fact]
    public void Compare_DefaultOpened_DefaultRowCarriesAllToolsLimits()
    {
        var @new = Old.Replace("\"default\":\"deny\"", "\"default\":\"allow\"", StringComparison.Ordinal);

        var rows = AgainstOld(@new);

        var row = Row(rows, null);
        Assert.Equal("changed", row.Change);
        Assert.Equal("deny (default)", row.Old.Text());
        Assert.Equal("allow (default): limit all at most 100 per 60 s per grant", row.New.Text());
        Assert.Equal("none", Row(rows, "list_charges").Change);
    }

    [Fact]
    public void Compare_ShadowedLimitAdded_OnlyShadowChanges()
    {
        var @new = ListChargesAs("\"list_charges\":{\"limits\":[{\"counter\":\"lists\",\"window\":\"minute\",\"max\":5,\"mode\":\"shadow\"}]}");

        var rows = AgainstOld(@new);

        var row = Row(rows, "list_charges");
        Assert.Equal("shadow", row.Change);
        Assert.Null(row.OldShadow);
        Assert.Equal("allow (tools.list_charges): limit all at most 100 per 60 s per grant", row.New.Text());
        Assert.Equal("allow (tools.list_charges): limit all at most 100 per 60 s per grant; limit lists at most 5 per 60 s per grant (shadow)", row.NewShadow!.Text());
        Assert.False(StaticDiff.HasChanges(rows));
    }

    [Fact]
    public void Compare_AllowRuleSwitchedToShadowDeny_EnforcedFallsToTheDefault()
    {
        var @new = ListChargesAs("\"list_charges\":{\"action\":\"deny\",\"mode\":\"shadow\"}");

        var row = Row(AgainstOld(@new), "list_charges");

        Assert.Equal("changed", row.Change);
        Assert.Equal("deny (default)", row.New.Text());
        Assert.Equal("deny (tools.list_charges)", row.NewShadow!.Text());
    }

    [Fact]
    public void Compare_ToolMovedToPrefixRuleThatTreatsItAlike_IsNoChange()
    {
        var @new = ListChargesAs("\"list_*\":{}");

        var rows = AgainstOld(@new);

        var row = Row(rows, "list_charges");
        Assert.Equal("none", row.Change);
        Assert.Equal("tools.list_*", row.New.Rule);

        // The pattern row is for tools only the pattern matches, which the old document left to its default.
        Assert.Equal("changed", Row(rows, "list_*").Change);
        Assert.Equal("deny (default)", Row(rows, "list_*").Old.Text());
    }

    [Fact]
    public void Compare_ValidateArgumentsTurnedOn_IsAChange()
    {
        var row = Row(AgainstOld(ListChargesAs("\"list_charges\":{\"validate_arguments\":true}")), "list_charges");

        Assert.Equal("changed", row.Change);
        Assert.Equal("allow (tools.list_charges): arguments checked against the tool's inputSchema; limit all at most 100 per 60 s per grant", row.New.Text());
    }

    /// <summary>The old document with <c>list_charges</c>' rule replaced by <paramref name="replacement"/>.</summary>
    private static string ListChargesAs(string replacement) => Old.Replace("\"list_charges\":{}", replacement, StringComparison.Ordinal);

    private static IReadOnlyList<StaticDiffRow> AgainstOld(string @new) => StaticDiff.Compare(PolicyTestKit.Compile(Old), PolicyTestKit.Compile(@new));

    private static StaticDiffRow Row(IReadOnlyList<StaticDiffRow> rows, string? tool) => Assert.Single(rows, r => r.Tool == tool);
}

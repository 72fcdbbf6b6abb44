namespace McpGateway.Tests.Policy;

/// <summary>
/// Which <c>tools</c> key governs a call (docs/policy-reference.md, "Rules"): exact keys are case-sensitive names, a key
/// ending in <c>*</c> matches by ordinal prefix, exact beats prefix, longer prefix beats shorter, and a
/// bare <c>*</c> matches every tool. Document order never matters.
/// </summary>
public sealed class PrefixMatchingTests
{
    private const string Rules = """
        "delete_*":{"action":"deny"},
        "delete_branch":{"action":"approve"},
        "delete_b*":{"action":"hide"},
        "d*":{"limits":[{"counter":"d","window":"minute","max":1}]},
        "*":{"action":"approve","approval":{"timeout":"1h"}}
        """;

    public static TheoryData<string> Documents => new()
    {
        Document(Rules),
        Document(string.Join(",", Rules.Split(",\n").Reverse())),
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Evaluate_ExactKeyAndMatchingPrefixes_ExactKeyWins(string document)
    {
        var decision = PolicyTestKit.Compile(document).Decide("delete_branch");

        Assert.Equal((DecisionKind.Approve, "tools.delete_branch"), (decision.Kind, decision.Rule));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Evaluate_SeveralPrefixesMatch_LongestPrefixWins(string document)
    {
        var policy = PolicyTestKit.Compile(document);

        Assert.Equal((DecisionKind.Hide, "tools.delete_b*"), Outcome(policy, "delete_branches"));
        Assert.Equal((DecisionKind.Hide, "tools.delete_b*"), Outcome(policy, "delete_b"));
        Assert.Equal((DecisionKind.Deny, "tools.delete_*"), Outcome(policy, "delete_repository"));
        Assert.Equal((DecisionKind.Deny, "tools.delete_*"), Outcome(policy, "delete_"));
        Assert.Equal((DecisionKind.Allow, "tools.d*"), Outcome(policy, "delete"));
        Assert.Equal((DecisionKind.Allow, "tools.d*"), Outcome(policy, "d"));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Evaluate_NoExactKeyOrLongerPrefix_BareStarMatches(string document)
    {
        var policy = PolicyTestKit.Compile(document);

        var decision = policy.Decide("create_charge");

        Assert.Equal((DecisionKind.Approve, "tools.*"), (decision.Kind, decision.Rule));
        Assert.Equal(TimeSpan.FromHours(1), decision.Approval!.Timeout);
        Assert.Equal((DecisionKind.Approve, "tools.*"), Outcome(policy, "D"));
        Assert.Equal((DecisionKind.Approve, "tools.*"), Outcome(policy, "_delete_x"));
    }

    [Fact]
    public void Evaluate_BareStarUnderDefaultDeny_AllowsEveryValidTool()
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"deny","tools":{"*":{}}}""");

        Assert.Equal((DecisionKind.Allow, "tools.*"), Outcome(policy, "anything"));
        Assert.True(policy.IsListed("anything"));
        Assert.Equal((DecisionKind.Deny, "tool_name"), Outcome(policy, "not valid"));
    }

    /// <summary>Keys compare by ordinal: an exact key is case-sensitive and a prefix's punctuation is literal, not a pattern.</summary>
    [Theory]
    [InlineData("create_charge", "tools.create_charge")]
    [InlineData("Create_charge", "default")]
    [InlineData("CREATE_CHARGE", "default")]
    [InlineData("create_charge_", "default")]
    [InlineData("create_charg", "default")]
    [InlineData("delete_x", "tools.delete_*")]
    [InlineData("Delete_x", "default")]
    [InlineData("DELETE_X", "default")]
    [InlineData("github.issues.create", "tools[\"github.*\"]")]
    [InlineData("github.", "tools[\"github.*\"]")]
    [InlineData("github_x", "default")]
    [InlineData("githubx", "default")]
    [InlineData("github", "default")]
    [InlineData("a-b", "tools.a-*")]
    [InlineData("a_b", "default")]
    public void Evaluate_KeyDifferingInCaseOrPunctuation_DoesNotMatch(string tool, string rule)
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"create_charge":{},"delete_*":{},"github.*":{},"a-*":{}}}
            """);

        Assert.Equal(rule, policy.Decide(tool).Rule);
    }

    [Fact]
    public void Evaluate_PrefixOfExactKey_DoesNotMatchShorterNames()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"create_charge*":{},"create_refund":{}}}
            """);

        Assert.Equal("tools.create_charge*", policy.Decide("create_charge").Rule);
        Assert.Equal("tools.create_charge*", policy.Decide("create_charges").Rule);
        Assert.Equal("default", policy.Decide("create_charg").Rule);
        Assert.Equal("default", policy.Decide("create_refunds").Rule);
    }

    private static (DecisionKind Kind, string Rule) Outcome(CompiledPolicy policy, string tool)
    {
        var decision = policy.Decide(tool);
        return (decision.Kind, decision.Rule);
    }

    private static string Document(string rules) =>
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{" + rules + "}}";
}

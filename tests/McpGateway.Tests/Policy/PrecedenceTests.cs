namespace McpGateway.Tests.Policy;

/// <summary>
/// The evaluation order of the docs/policy-reference.md ("Evaluation order"): tool name, hide, default, deny action,
/// conditions, approve; which limits each outcome carries; and what <c>tools/list</c> shows.
/// </summary>
public sealed class PrecedenceTests
{
    public static TheoryData<string> InvalidToolNames => [.. ToolNameExamples.Invalid];

    [Theory]
    [MemberData(nameof(InvalidToolNames))]
    [InlineData("create_charge\n")]
    public void Evaluate_InvalidToolName_DeniedByToolNameBeforeAnyRule(string tool)
    {
        // Every other step would allow or hide this call, so only the name check can deny it.
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","hide":["nothing_here"],"tools":{"*":{},"delete_*":{"action":"hide"}}}
            """);

        var decision = policy.Decide(tool);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal("tool_name", decision.Rule);
        Assert.Equal("the tool name is not a valid MCP tool name (1-128 characters of A-Z a-z 0-9 _ . -)", decision.Reason);
        Assert.Empty(decision.Limits);
        Assert.False(policy.IsListed(tool));
    }

    public static TheoryData<string> ValidToolNames => [.. ToolNameExamples.Valid];

    [Theory]
    [MemberData(nameof(ValidToolNames))]
    public void Evaluate_ValidToolName_ReachesTheRules(string tool)
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"allow"}""");

        var decision = policy.Decide(tool);

        Assert.Equal((DecisionKind.Allow, "default"), (decision.Kind, decision.Rule));
        Assert.True(policy.IsListed(tool));
    }

    [Fact]
    public void Evaluate_HiddenToolWithDenyOrApproveRule_HiddenByTheHideEntry()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","hide":["other","refund","payout"],
             "tools":{"refund":{"action":"deny","reason":"No."},"payout":{"action":"approve"}}}
            """);

        var refund = policy.Decide("refund");
        var payout = policy.Decide("payout");

        Assert.Equal((DecisionKind.Hide, "hide[1]"), (refund.Kind, refund.Rule));
        Assert.Equal((DecisionKind.Hide, "hide[2]"), (payout.Kind, payout.Rule));
        Assert.Equal("this tool is not available", refund.Reason);
        Assert.Null(payout.Approval);
    }

    [Theory]
    [InlineData("create_charge")]
    [InlineData("x")]
    [InlineData("listed")]
    public void Evaluate_HideStar_HidesEveryToolIncludingListedOnes(string tool)
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","hide":["*"],"tools":{"listed":{}}}
            """);

        var decision = policy.Decide(tool);

        Assert.Equal((DecisionKind.Hide, "hide[0]"), (decision.Kind, decision.Rule));
        Assert.False(policy.IsListed(tool));
    }

    [Theory]
    [InlineData("admin_users", true, "hide[0]")]
    [InlineData("admin_", true, "hide[0]")]
    [InlineData("admin", false, "default")]
    [InlineData("Admin_users", false, "default")]
    [InlineData("x_admin_users", false, "default")]
    [InlineData("delete_repository", true, "hide[1]")]
    [InlineData("delete_repository2", false, "default")]
    public void Evaluate_HideEntries_HideExactNamesAndPrefixesCaseSensitively(string tool, bool hidden, string rule)
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","hide":["admin_*","delete_repository"]}
            """);

        var decision = policy.Decide(tool);

        Assert.Equal((hidden ? DecisionKind.Hide : DecisionKind.Allow, rule), (decision.Kind, decision.Rule));
        Assert.Equal(!hidden, policy.IsListed(tool));
    }

    [Theory]
    [InlineData("admin_users", "hide[3]")]
    [InlineData("admin_roles", "hide[2]")]
    [InlineData("admin", "hide[1]")]
    [InlineData("a", "hide[1]")] // a prefix matches its own text, and of two equal entries the first is named
    [InlineData("other", "hide[0]")]
    public void Evaluate_SeveralHideEntriesMatch_NamesTheMostSpecificEntry(string tool, string rule)
    {
        // Same precedence as tools keys (docs/policy-reference.md, "Rules"): exact, then the longer prefix, then "*".
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","hide":["*","a*","admin_*","admin_users","admin_*","a*"]}
            """);

        var decision = policy.Decide(tool);

        Assert.Equal((DecisionKind.Hide, rule), (decision.Kind, decision.Rule));
    }

    [Fact]
    public void Evaluate_RuleWithHideAction_HiddenByTheRuleAndNotListed()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","tools":{"admin_users":{"action":"hide","reason":"unused"},"admin_*":{"action":"hide"}}}
            """);

        var exact = policy.Decide("admin_users");
        var prefix = policy.Decide("admin_roles");

        Assert.Equal((DecisionKind.Hide, "tools.admin_users", "tool \"admin_users\" is not available"), (exact.Kind, exact.Rule, exact.Reason));
        Assert.Equal((DecisionKind.Hide, "tools.admin_*", "tools matching \"admin_*\" are not available"), (prefix.Kind, prefix.Rule, prefix.Reason));
        Assert.False(policy.IsListed("admin_users"));
        Assert.False(policy.IsListed("admin_roles"));
    }

    [Fact]
    public void Evaluate_DenyActionWithConditions_DeniedByTheActionWhateverTheArguments()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","tools":{"refund":{"action":"deny","reason":"Refunds are manual.",
              "require":[{"path":"args.amount","op":"lt","value":10}],
              "deny_if":[{"path":"args.amount","op":"gt","value":5}],
              "limits":[{"counter":"refunds","window":"day","max":1}]}}}
            """);

        foreach (var arguments in new[] { """{"amount":1}""", """{"amount":100}""", """{"amount":"x"}""", "{}" })
        {
            var decision = policy.Decide("refund", arguments);

            Assert.Equal((DecisionKind.Deny, "tools.refund", "Refunds are manual."), (decision.Kind, decision.Rule, decision.Reason));
            Assert.Empty(decision.Limits);
        }
    }

    [Fact]
    public void Evaluate_DenyActionWithoutReason_SaysTheToolOrPatternIsDenied()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","tools":{"delete_customer":{"action":"deny"},"delete_*":{"action":"deny"}}}
            """);

        Assert.Equal("tool \"delete_customer\" is denied by policy", policy.Decide("delete_customer").Reason);
        Assert.Equal("tools matching \"delete_*\" are denied by policy", policy.Decide("delete_branch").Reason);
    }

    [Fact]
    public void Evaluate_RequireThenDenyIf_FirstFailingRequirementThenFirstMatchingDenial()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{
              "require":[{"path":"args.a","op":"exists"},{"path":"args.b","op":"gt","value":0},{"path":"args.c","op":"eq","value":"ok"}],
              "deny_if":[{"path":"args.d","op":"eq","value":1},{"path":"args.e","op":"lt","value":0},{"path":"args.d","op":"gt","value":0}]}}}
            """);

        Assert.Equal("tools.t.require[0]", policy.Decide("t", """{"b":"wrong type","c":"no","d":1}""").Rule);
        Assert.Equal("tools.t.require[1]", policy.Decide("t", """{"a":1,"b":"wrong type","c":"no","d":1}""").Rule);
        Assert.Equal("tools.t.require[1]", policy.Decide("t", """{"a":1,"b":0,"c":"no","d":1}""").Rule);
        Assert.Equal("tools.t.require[2]", policy.Decide("t", """{"a":1,"b":1,"c":"no","d":1}""").Rule);
        Assert.Equal("tools.t.deny_if[0]", policy.Decide("t", """{"a":1,"b":1,"c":"ok","d":1,"e":"wrong type"}""").Rule);
        Assert.Equal("tools.t.deny_if[1]", policy.Decide("t", """{"a":1,"b":1,"c":"ok","d":2,"e":"wrong type"}""").Rule);
        Assert.Equal("tools.t.deny_if[1]", policy.Decide("t", """{"a":1,"b":1,"c":"ok","d":2,"e":-1}""").Rule);
        Assert.Equal("tools.t.deny_if[2]", policy.Decide("t", """{"a":1,"b":1,"c":"ok","d":2,"e":0}""").Rule);
        Assert.Equal(DecisionKind.Allow, policy.Decide("t", """{"a":1,"b":1,"c":"ok","d":-2}""").Kind);
    }

    [Fact]
    public void Evaluate_ApproveRuleWithConditions_ConditionsDenyBeforeApproval()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"payout":{"action":"approve","approval":{"timeout":"30m"},
              "require":[{"path":"args.amount","op":"lte","value":1000}],
              "deny_if":[{"path":"args.currency","op":"neq","value":"usd"}]}}}
            """);

        var tooLarge = policy.Decide("payout", """{"amount":5000,"currency":"usd"}""");
        var wrongCurrency = policy.Decide("payout", """{"amount":500,"currency":"eur"}""");
        var fine = policy.Decide("payout", """{"amount":500,"currency":"usd"}""");

        Assert.Equal((DecisionKind.Deny, "tools.payout.require[0]"), (tooLarge.Kind, tooLarge.Rule));
        Assert.Equal((DecisionKind.Deny, "tools.payout.deny_if[0]"), (wrongCurrency.Kind, wrongCurrency.Rule));
        Assert.Null(tooLarge.Approval);
        Assert.Equal((DecisionKind.Approve, "tools.payout"), (fine.Kind, fine.Rule));
        Assert.Equal(TimeSpan.FromMinutes(30), fine.Approval!.Timeout);
        Assert.Equal("this call needs a human approval", fine.Reason);
    }

    [Fact]
    public void Evaluate_ApproveRuleWithoutApprovalSettings_WaitsFifteenMinutesAndUsesTheRulesReason()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"merge":{"action":"approve","reason":"A maintainer approves merges."}}}
            """);

        var decision = policy.Decide("merge");

        Assert.Equal(DecisionKind.Approve, decision.Kind);
        Assert.Equal(TimeSpan.FromMinutes(15), decision.Approval!.Timeout);
        Assert.Equal("A maintainer approves merges.", decision.Reason);
        Assert.True(policy.IsListed("merge"));
    }

    [Fact]
    public void Evaluate_UnlistedToolUnderDefaultDeny_DeniedByDefaultWithoutLimits()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","all_tools":{"limits":[{"counter":"calls","window":"minute","max":60}]},"tools":{"listed":{}}}
            """);

        var decision = policy.Decide("unlisted");

        Assert.Equal((DecisionKind.Deny, "default"), (decision.Kind, decision.Rule));
        Assert.Equal("this tool is not allowed by the policy (default: deny)", decision.Reason);
        Assert.Empty(decision.Limits);
    }

    [Fact]
    public void Evaluate_UnlistedToolUnderDefaultAllow_AllowedByDefaultWithAllToolsLimits()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"counter":"calls","window":"minute","max":60},{"counter":"daily","window":"day","max":1000}]},
             "tools":{"listed":{"limits":[{"counter":"listed_only","window":"hour","max":1}]}}}
            """);

        var decision = policy.Decide("unlisted");

        Assert.Equal((DecisionKind.Allow, "default"), (decision.Kind, decision.Rule));
        Assert.Null(decision.Reason);
        Assert.Equal(["all_tools.limits[0]", "all_tools.limits[1]"], decision.Limits.Select(l => l.Rule).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_ListedToolUnderDefaultDeny_EmptyRuleAllows()
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"deny","tools":{"list_charges":{}}}""");

        var decision = policy.Decide("list_charges");

        Assert.Equal((DecisionKind.Allow, "tools.list_charges"), (decision.Kind, decision.Rule));
        Assert.Null(decision.Reason);
        Assert.Empty(decision.Limits);
    }

    [Fact]
    public void Evaluate_LimitedRule_LimitsOnlyOnAllowAndApprove()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","hide":["hidden"],
             "all_tools":{"limits":[{"counter":"calls","window":"minute","max":60}]},
             "tools":{
               "charge":{"require":[{"path":"args.ok","op":"eq","value":true}],"limits":[{"counter":"charges","window":"hour","max":5}]},
               "payout":{"action":"approve","limits":[{"counter":"payouts","window":"day","max":2}]},
               "refund":{"action":"deny","limits":[{"counter":"refunds","window":"day","max":2}]},
               "hidden":{"limits":[{"counter":"hidden","window":"day","max":2}]},
               "secret":{"action":"hide","limits":[{"counter":"secret","window":"day","max":2}]}}}
            """);

        Assert.Equal(["calls", "charges"], Counters(policy.Decide("charge", """{"ok":true}""")));
        Assert.Equal(["calls", "payouts"], Counters(policy.Decide("payout")));
        Assert.Empty(policy.Decide("charge", """{"ok":false}""").Limits);
        Assert.Empty(policy.Decide("charge", """{"ok":"true "}""").Limits);
        Assert.Empty(policy.Decide("refund").Limits);
        Assert.Empty(policy.Decide("hidden").Limits);
        Assert.Empty(policy.Decide("secret").Limits);
        Assert.Empty(policy.Decide("unlisted").Limits);
        Assert.Empty(policy.Decide("bad name").Limits);
    }

    [Fact]
    public void Evaluate_AllToolsAndRuleLimits_AllToolsComeFirst()
    {
        // Order shows where a shared counter is taken from, and which bad increment_from is reported.
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny",
             "all_tools":{"limits":[{"counter":"units","window":"minute","max":60,"increment_from":"args.units"}]},
             "tools":{"t":{"limits":[{"counter":"amount","window":"day","max":1000,"increment_from":"args.amount"}]}}}
            """);

        var neither = policy.Decide("t", "{}");
        var onlyUnits = policy.Decide("t", """{"units":2}""");
        var both = policy.Decide("t", """{"units":2,"amount":30}""");

        Assert.Equal((DecisionKind.Deny, "all_tools.limits[0]"), (neither.Kind, neither.Rule));
        Assert.Equal((DecisionKind.Deny, "tools.t.limits[0]"), (onlyUnits.Kind, onlyUnits.Rule));
        Assert.Equal(DecisionKind.Allow, both.Kind);
        Assert.Equal(
            [("all_tools.limits[0]", 2L), ("tools.t.limits[0]", 30L)],
            both.Limits.Select(l => (l.Rule, l.Increment)).OrderBy(l => l.Rule, StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_CounterSharedByAllToolsAndRule_CountedOnceAsDeclaredFirst()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny",
             "all_tools":{"limits":[{"counter":"calls","window":"minute","max":60}]},
             "tools":{"t":{"limits":[
               {"counter":"calls","window":"minute","max":60},
               {"counter":"own","window":"hour","max":5},
               {"counter":"own","window":"hour","max":5},
               {"counter":"calls","window":"hour","max":7,"scope":"server"}]}}}
            """);

        var decision = policy.Decide("t");

        Assert.Equal(
            [("all_tools.limits[0]", "calls", LimitScope.Grant), ("tools.t.limits[1]", "own", LimitScope.Grant), ("tools.t.limits[3]", "calls", LimitScope.Server)],
            decision.Limits.Select(l => (l.Rule, l.Limit.Counter, l.Limit.Scope)).OrderBy(l => l.Rule, StringComparer.Ordinal));
    }

    /// <summary>
    /// One policy under either default: a hidden tool (by entry, prefix entry or rule) and an invalid name are never
    /// listed, a tool with a rule of any other action always is, and only a tool without a rule follows the default.
    /// </summary>
    [Theory]
    [InlineData("hidden_by_entry", false, false)]
    [InlineData("hidden_by_prefix", false, false)]
    [InlineData("hidden_by_rule", false, false)]
    [InlineData("denied", true, true)]
    [InlineData("approved", true, true)]
    [InlineData("conditional", true, true)]
    [InlineData("allowed", true, true)]
    [InlineData("prefixed_tool", true, true)]
    [InlineData("unlisted", false, true)]
    [InlineData("", false, false)]
    [InlineData("bad name", false, false)]
    public void IsListed_EitherDefault_HiddenNeverListedAndOnlyUnruledToolsFollowTheDefault(string tool, bool underDeny, bool underAllow)
    {
        const string Rules = """
            "hide":["hidden_by_entry","hidden_by_p*"],"tools":{
              "hidden_by_entry":{},"hidden_by_rule":{"action":"hide"},"denied":{"action":"deny"},"approved":{"action":"approve"},
              "conditional":{"require":[{"path":"args.a","op":"exists"}]},"allowed":{"action":"allow"},"prefixed_*":{}}
            """;
        var denyByDefault = PolicyTestKit.Compile($$"""{"version":"1","default":"deny",{{Rules}}}""");
        var allowByDefault = PolicyTestKit.Compile($$"""{"version":"1","default":"allow",{{Rules}}}""");

        Assert.Equal((underDeny, underAllow), (denyByDefault.IsListed(tool), allowByDefault.IsListed(tool)));
    }

    private static string[] Counters(PolicyDecision decision) =>
        [.. decision.Limits.Select(l => l.Limit.Counter).Order(StringComparer.Ordinal)];
}

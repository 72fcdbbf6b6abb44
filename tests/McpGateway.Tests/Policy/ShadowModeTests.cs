namespace McpGateway.Tests.Policy;

/// <summary><c>"mode": "shadow"</c> (issue 17): parsing, inheritance, the enforced view and the shadow view.</summary>
public sealed class ShadowModeTests
{
    [Fact]
    public void Parse_ModeOnEveryLevel_InheritsDownward()
    {
        var document = PolicyParser.Parse("""
            {"version":"1","default":"allow","mode":"shadow",
             "all_tools":{"limits":[{"counter":"all","window":"minute","max":5}]},
             "tools":{"a":{"action":"deny"},
                      "b":{"mode":"enforce","limits":[{"counter":"b","window":"minute","max":1},{"counter":"b2","window":"minute","max":1,"mode":"shadow"}]}}}
            """).Document!;

        Assert.Equal(PolicyMode.Shadow, document.Mode);
        Assert.Equal(PolicyMode.Shadow, document.AllToolsLimits[0].Mode);
        Assert.Equal(PolicyMode.Shadow, document.Tools[0].Mode);
        Assert.Equal(PolicyMode.Enforce, document.Tools[1].Mode);
        Assert.Equal([PolicyMode.Enforce, PolicyMode.Shadow], document.Tools[1].Limits.Select(l => l.Mode));
    }

    [Fact]
    public void Parse_UnknownMode_IsInvalidWithPath()
    {
        var problems = PolicyTestKit.Problems("""{"version":"1","default":"allow","tools":{"a":{"mode":"log_only"}}}""");

        var problem = Assert.Single(problems);
        Assert.StartsWith("tools.a.mode: must be \"enforce\" or \"shadow\", not \"log_only\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EnforcedLimitInShadowRule_IsInvalid()
    {
        var problems = PolicyTestKit.Problems("""
            {"version":"1","default":"allow","tools":{"a":{"mode":"shadow","limits":[{"counter":"c","window":"minute","max":1,"mode":"enforce"}]}}}
            """);

        Assert.StartsWith("tools.a.limits[0].mode: a limit of a shadowed rule is shadowed too", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EnforcedAllToolsLimitInShadowDocument_CountsOnEveryEnforcedCall()
    {
        // all_tools is no rule: under a shadow document one of its limits may say enforce, as docs/shadow-mode.md says.
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","mode":"shadow","all_tools":{"limits":[{"counter":"c","window":"minute","max":1,"mode":"enforce"}]},
             "tools":{"kill":{"action":"deny"}}}
            """);

        var decision = policy.Decide("anything");
        Assert.Equal(DecisionKind.Allow, decision.Kind);
        Assert.Equal(("all_tools.limits[0]", PolicyMode.Enforce), (Assert.Single(decision.Limits).Rule, decision.Limits[0].Limit.Mode));
        Assert.Equal(DecisionKind.Allow, policy.Decide("kill").Kind);
    }

    [Fact]
    public void Parse_SharedCounterInTwoModes_IsInvalid()
    {
        var problems = PolicyTestKit.Problems("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"counter":"c","window":"minute","max":1}]},
             "tools":{"a":{"limits":[{"counter":"c","window":"minute","max":1,"mode":"shadow"}]}}}
            """);

        Assert.Contains("with another window, max, increment_from or mode", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ShadowDenyRule_EnforcementFallsToDefaultAndShadowDenies()
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"allow","tools":{"echo":{"action":"deny","mode":"shadow","reason":"not yet"}}}""");

        Assert.Equal(DecisionKind.Allow, policy.Decide("echo").Kind);
        Assert.Equal("default", policy.Decide("echo").Rule);
        var would = policy.Shadow!.Decide("echo");
        Assert.Equal((DecisionKind.Deny, "tools.echo", "not yet"), (would.Kind, would.Rule, would.Reason));
    }

    [Fact]
    public void Evaluate_ShadowDocument_NothingEnforcedButExplicitEnforceRules()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","mode":"shadow","hide":["secret"],"tools":{"kill":{"action":"deny","mode":"enforce"}}}
            """);

        Assert.Equal(DecisionKind.Allow, policy.Decide("anything").Kind);
        Assert.Equal(DecisionKind.Allow, policy.Decide("secret").Kind);
        Assert.True(policy.IsListed("secret"));
        Assert.Equal(DecisionKind.Deny, policy.Decide("kill").Kind);
        var full = policy.Shadow!;
        Assert.Equal((DecisionKind.Deny, "default"), (full.Decide("anything").Kind, full.Decide("anything").Rule));
        Assert.Equal(DecisionKind.Hide, full.Decide("secret").Kind);
    }

    [Fact]
    public void Evaluate_ShadowLimit_HasItsOwnKeyAndIsNotEnforced()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{"limits":[
              {"counter":"c","window":"minute","max":10},{"counter":"s","window":"minute","max":1,"mode":"shadow"}]}}}
            """);

        var enforced = Assert.Single(policy.Decide("t").Limits);
        Assert.Equal("stripe/grant:agent-1/c/60/1795176000", enforced.Key);
        var shadow = policy.Shadow!.Decide("t").Limits.Single(l => l.Limit.Mode == PolicyMode.Shadow);
        Assert.Equal("stripe/shadow.grant:agent-1/s/60/1795176000", shadow.Key);
        Assert.Equal("tools.t.limits[1]", shadow.Rule);
    }

    [Fact]
    public void Evaluate_ShadowLimitBeforeEnforcedOne_EnforcedKeepsItsDocumentPath()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{"limits":[
              {"counter":"s","window":"minute","max":1,"mode":"shadow"},{"counter":"c","window":"minute","max":10}]}}}
            """);

        Assert.Equal("tools.t.limits[1]", Assert.Single(policy.Decide("t").Limits).Rule);
    }

    [Fact]
    public void Compile_NoShadow_HasNoShadowView()
    {
        Assert.Null(PolicyTestKit.Compile("""{"version":"1","default":"allow","tools":{"t":{"mode":"enforce"}}}""").Shadow);
    }
}

namespace McpGateway.Tests.Policy;

/// <summary>
/// <c>validate_arguments</c> (issue 15) as the parser reads it and as decisions carry it: on a rule or in
/// <c>all_tools</c>, strictly a boolean, the rule's own value winning over <c>all_tools</c>'.
/// </summary>
public sealed class ValidateArgumentsPolicyTests
{
    [Fact]
    public void Parse_NotABoolean_IsAProblemAtItsToken()
    {
        var problems = PolicyTestKit.Problems("""
            {"version":"1","default":"deny",
             "all_tools":{"validate_arguments":"yes"},
             "tools":{"deploy":{"validate_arguments":1}}}
            """);

        Assert.Equal(
            [
                "all_tools.validate_arguments: must be true or false, not a string (line 2, column 36)",
                "tools.deploy.validate_arguments: must be true or false, not a number (line 3, column 42)",
            ],
            problems);
    }

    [Fact]
    public void Decide_RuleSaysValidate_PermittedDecisionNamesTheRulesSetting()
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"deny","tools":{"deploy":{"validate_arguments":true},"read":{}}}""");

        Assert.Equal("tools.deploy.validate_arguments", policy.Decide("deploy").ValidateArguments);
        Assert.Null(policy.Decide("read").ValidateArguments);
    }

    [Fact]
    public void Decide_AllToolsSaysValidate_AppliesToRulesAndDefaultUnlessARuleSaysFalse()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","all_tools":{"validate_arguments":true},
             "tools":{"deploy":{"limits":[{"counter":"d","window":"minute","max":5}]},"free":{"validate_arguments":false},
                      "merge":{"action":"approve"}}}
            """);

        Assert.Equal("all_tools.validate_arguments", policy.Decide("deploy").ValidateArguments);
        Assert.Equal("all_tools.validate_arguments", policy.Decide("merge").ValidateArguments);
        Assert.Equal("all_tools.validate_arguments", policy.Decide("unlisted").ValidateArguments);
        Assert.Null(policy.Decide("free").ValidateArguments);
    }

    [Fact]
    public void Decide_ShadowedDocument_EnforcedViewValidatesNothing()
    {
        var policy = PolicyTestKit.Compile("""{"version":"1","default":"allow","mode":"shadow","all_tools":{"validate_arguments":true}}""");

        Assert.Null(policy.Decide("deploy").ValidateArguments);
        Assert.Equal("all_tools.validate_arguments", policy.Shadow!.Decide("deploy").ValidateArguments);
    }
}

namespace McpGateway.Tests.Policy;

/// <summary>Limits that name one counter share one budget, so their declarations must agree.</summary>
public sealed class SharedCounterTests
{
    [Fact]
    public void Parse_SameCounterWithAnotherIncrementFrom_IsInvalid()
    {
        var problems = PolicyTestKit.Problems("""
            {"version":"1","default":"allow",
             "all_tools":{"limits":[{"counter":"spend","window":"day","max":100,"increment_from":"args.amount"}]},
             "tools":{"pay":{"limits":[{"counter":"spend","window":"day","max":100,"increment_from":"args.total"}]}}}
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith("tools.pay.limits[0]: counter \"spend\" (grant scope) is already declared at all_tools.limits[0] with another window, max, increment_from or mode", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GrantAndSessionScopesOfOneCounterWithoutSession_ReserveTwoDistinctKeys()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{"limits":[
              {"counter":"c","window":"minute","max":10,"scope":"grant"},
              {"counter":"c","window":"minute","max":3,"scope":"session"}]}}}
            """);

        var limits = policy.Decide("t", session: null).Limits;

        Assert.Equal(2, limits.Length);
        Assert.Equal(2, limits.Select(l => l.Key).Distinct().Count());
        Assert.Contains(limits, l => l.Key.Contains("/nosession:agent-1/", StringComparison.Ordinal) && l.Limit.Max == 3);
    }
}

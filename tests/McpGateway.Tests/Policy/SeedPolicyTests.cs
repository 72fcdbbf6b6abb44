namespace McpGateway.Tests.Policy;

/// <summary>The policy copied from PolicyLayer's own page must load unchanged and mean what it says.</summary>
public sealed class SeedPolicyTests
{
    private const string Seed =
        """{"version":"1","default":"deny","tools":{"build_and_push_image_to_ecr":{"limits":[{"counter":"build_and_push_image_to_ecr_rate","window":"minute","max":10,"scope":"grant"}]}}}""";

    [Fact]
    public void SeedPolicy_ListedTool_AllowedWithOneGrantScopedMinuteLimitOfTen()
    {
        var decision = PolicyTestKit.Compile(Seed).Decide("build_and_push_image_to_ecr");

        Assert.Equal(DecisionKind.Allow, decision.Kind);
        var limit = Assert.Single(decision.Limits);
        Assert.Equal("build_and_push_image_to_ecr_rate", limit.Limit.Counter);
        Assert.Equal(10, limit.Limit.Max);
        Assert.Equal(60, limit.Limit.WindowSeconds);
        Assert.Equal(LimitScope.Grant, limit.Limit.Scope);
        Assert.Equal(1, limit.Increment);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), limit.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 1, 0, TimeSpan.Zero), limit.WindowEnd);
        Assert.Equal("stripe/grant:agent-1/build_and_push_image_to_ecr_rate/60/1795176000", limit.Key);
    }

    [Theory]
    [InlineData("list_clusters")]
    [InlineData("delete_cluster")]
    [InlineData("build_and_push_image_to_ecr2")]
    [InlineData("Build_and_push_image_to_ecr")]
    public void SeedPolicy_AnyOtherTool_DeniedByDefault(string tool)
    {
        var policy = PolicyTestKit.Compile(Seed);

        var decision = policy.Decide(tool);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal("default", decision.Rule);
        Assert.False(policy.IsListed(tool));
    }

    [Fact]
    public void SeedPolicy_ListedTool_IsListed()
    {
        Assert.True(PolicyTestKit.Compile(Seed).IsListed("build_and_push_image_to_ecr"));
    }
}

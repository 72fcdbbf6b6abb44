using McpGateway.Aws;

namespace McpGateway.Tests.Aws;

/// <summary>What the gateway asks STS for on a grant's behalf (the call itself runs against moto_server in the integration tests).</summary>
public sealed class AssumedRoleCacheTests
{
    [Fact]
    public void Request_ForGrant_NamesSessionAndTagsItWithTheLabel()
    {
        var request = AssumedRoleCache.Request("arn:aws:iam::123456789012:role/ecs-agents", "ci-bot.prod");

        Assert.Equal("arn:aws:iam::123456789012:role/ecs-agents", request.RoleArn);
        Assert.Equal("ci-bot.prod", request.RoleSessionName);
        var tag = Assert.Single(request.Tags);
        Assert.Equal(("mcpgw-grant", "ci-bot.prod"), (tag.Key, tag.Value));
    }

    [Theory]
    [InlineData("a", "mcpgw-a")]
    [InlineData("ab", "ab")]
    public void SessionName_ShortLabel_MeetsStsMinimum(string label, string expected) =>
        Assert.Equal(expected, AssumedRoleCache.SessionName(label));

    [Fact]
    public void SessionName_LongLabel_CutTo64WhileTagKeepsItWhole()
    {
        var label = new string('g', 128);
        var request = AssumedRoleCache.Request("arn:aws:iam::123456789012:role/r", label);

        Assert.Equal(64, request.RoleSessionName.Length);
        Assert.Equal(label, request.Tags[0].Value);
    }
}

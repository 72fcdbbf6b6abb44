using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;

namespace McpGateway.Tests.Cli.ParameterStore;

public sealed class ParameterPrefixTests
{
    [Theory]
    [InlineData("/mcp-gateway", "/mcp-gateway")]
    [InlineData("/mcp-gateway/", "/mcp-gateway")]
    [InlineData("/mcp-gateway///", "/mcp-gateway")]
    [InlineData("/team.a/prod_1/mcp-gateway", "/team.a/prod_1/mcp-gateway")]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/", "/1/2/3/4/5/6/7/8/9/10/11/12/13")] // MaxLevels: one more is refused below
    public void TryNormalise_ValidPrefix_TrimsTrailingSlashes(string raw, string expected)
    {
        Assert.True(ParameterPrefix.TryNormalise(raw, out var prefix, out var problem), problem);
        Assert.Equal(expected, prefix);
    }

    [Theory]
    [InlineData("mcp-gateway", "must start with \"/\"")]
    [InlineData("", "must start with \"/\"")]
    [InlineData("/", "at least one level")]
    [InlineData("//", "at least one level")]
    [InlineData("/a//b", "empty level")]
    [InlineData("/mcp gateway", "may only hold")]
    [InlineData("/mcp:gateway", "may only hold")]
    [InlineData("/aws/mcp", "\"aws\" or \"ssm\"")]
    [InlineData("/SSM-config", "\"aws\" or \"ssm\"")]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14", "14 levels")]
    public void TryNormalise_InvalidPrefix_SaysWhatToChange(string raw, string expected)
    {
        Assert.False(ParameterPrefix.TryNormalise(raw, out var prefix, out var problem));
        Assert.Null(prefix);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalise_AtAndJustOverTheLengthLimit_AcceptedThenRefused()
    {
        var longest = "/" + new string('a', ParameterPrefix.MaxLength - 1);

        Assert.True(ParameterPrefix.TryNormalise(longest, out var prefix, out var accepted), accepted);
        Assert.Equal(longest, prefix);
        Assert.False(ParameterPrefix.TryNormalise(longest + "a", out _, out var problem));
        Assert.Contains($"at most {ParameterPrefix.MaxLength}", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(ConfigEntryKind.Server), "/p/servers/x")]
    [InlineData(nameof(ConfigEntryKind.Policy), "/p/policies/x")]
    [InlineData(nameof(ConfigEntryKind.Grant), "/p/grants/x")]
    public void EntryName_EachKind_IsWhereTheGatewayLooks(string kind, string expected) =>
        Assert.Equal(expected, ParameterPrefix.EntryName("/p", Enum.Parse<ConfigEntryKind>(kind), "x"));
}

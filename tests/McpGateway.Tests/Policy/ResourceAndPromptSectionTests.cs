namespace McpGateway.Tests.Policy;

/// <summary>The <c>resources</c> and <c>prompts</c> sections (issue 16) as the parser reads them and the compiled policy decides.</summary>
public sealed class ResourceAndPromptSectionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Sections_ExactBeatsLongestPrefixBeatsDefault()
    {
        var policy = Compile("""
            {"version":"1","default":"deny",
             "resources":{"file:///*":{},"file:///etc/*":{"action":"deny","reason":"no system files"},"file:///etc/hosts":{}},
             "prompts":{"greet":{},"admin_*":{"action":"hide"}}}
            """);

        Assert.Equal(DecisionKind.Allow, Resource(policy, "file:///home/a.txt").Kind);
        var denied = Resource(policy, "file:///etc/passwd");
        Assert.Equal(DecisionKind.Deny, denied.Kind);
        Assert.Equal("no system files", denied.Reason);
        Assert.Equal("resources[\"file:///etc/*\"]", denied.Rule);
        Assert.Equal(DecisionKind.Allow, Resource(policy, "file:///etc/hosts").Kind);
        Assert.Equal(DecisionKind.Deny, Resource(policy, "https://example.com/x").Kind);
        Assert.Equal("default", Resource(policy, "https://example.com/x").Rule);

        Assert.True(policy.Prompts.IsListed("greet"));
        Assert.False(policy.Prompts.IsListed("admin_reset"));
        Assert.False(policy.Prompts.IsListed("other"));
        Assert.True(policy.Resources.IsListed("file:///etc/passwd"), "denied entries stay listed");
    }

    [Fact]
    public void NoSections_FollowTheDefault()
    {
        Assert.Equal(DecisionKind.Allow, Resource(Compile("""{"version":"1","default":"allow"}"""), "x://y").Kind);
        Assert.False(Compile("""{"version":"1","default":"deny"}""").Prompts.IsListed("greet"));
    }

    [Fact]
    public void ShadowDocument_EnforcesNoEntryRule()
    {
        var policy = Compile("""{"version":"1","default":"deny","mode":"shadow","resources":{"x://*":{"action":"deny"}}}""");

        Assert.Equal(DecisionKind.Allow, Resource(policy, "x://y").Kind);
    }

    [Fact]
    public void EntryLimits_AreAttached()
    {
        var policy = Compile("""{"version":"1","default":"deny","resources":{"x://*":{"limits":[{"counter":"reads","max":2,"window":"minute"}]}}}""");

        Assert.Equal("reads", Assert.Single(Resource(policy, "x://y").Limits).Limit.Counter);
    }

    [Theory]
    [InlineData("""{"version":"1","default":"deny","resources":{"x://*":{"action":"approve"}}}""", "resources[\"x://*\"].action: \"approve\" applies to tools only; use allow, deny or hide")]
    [InlineData("""{"version":"1","default":"deny","resources":{"x://*/y":{}}}""", "resources[\"x://*/y\"]: invalid key \"x://*/y\": a resource URI (1-2048 characters, no control characters, * only at the end)")]
    [InlineData("""{"version":"1","default":"deny","prompts":{"bad name":{}}}""", "prompts[\"bad name\"]: invalid key \"bad name\"")]
    [InlineData("""{"version":"1","default":"deny","prompts":{"p":{"require":[]}}}""", "prompts.p.require: unknown field \"require\" (allowed here: action, reason, limits)")]
    [InlineData("""{"version":"1","default":"deny","prompts":[]}""", "prompts: must be an object mapping prompt names to rules, not an array")]
    public void InvalidEntries_AreProblemsNamingThePath(string json, string expected)
    {
        var result = PolicyParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    private static CompiledPolicy Compile(string json)
    {
        var result = PolicyParser.Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return CompiledPolicy.Compile(result.Document!);
    }

    private static PolicyDecision Resource(CompiledPolicy policy, string uri) =>
        policy.Resources.Evaluate(new ToolCall("g", "s", uri, default), Now);
}

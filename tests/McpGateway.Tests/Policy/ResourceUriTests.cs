namespace McpGateway.Tests.Policy;

/// <summary>
/// A read by a resource URI a server could resolve to another one is refused while the policy has a
/// <c>resources</c> key it could dodge: prefixes compare by ordinal, servers by RFC 3986.
/// </summary>
public sealed class ResourceUriTests
{
    private const string Policy = """
        {"version":"1","default":"allow",
         "resources":{"file:///srv/public/*":{},"file:///srv/secret*":{"action":"deny"},"https://internal.example/*":{"action":"hide"}}}
        """;

    [Theory]
    [InlineData("file:///srv/public/report.txt", true)]
    [InlineData("file:///srv/public/a..b/c.txt", true)]
    [InlineData("file:///srv/public/.hidden", true)]
    [InlineData("https://example.com/a?next=../b&u=%2Fc", true)] // the query is data, not path
    [InlineData("demo://resource/static/document/architecture.md", true)]
    [InlineData("ui://widget/x%20y", true)]
    [InlineData("urn:isbn:0451450523", true)]
    [InlineData("file:///srv/public/../secret.txt", false)]
    [InlineData("file:///srv/public/./x", false)]
    [InlineData("file:///srv/public/..", false)]
    [InlineData("file:///srv/public/%2e%2e/secret.txt", false)]
    [InlineData("file:///srv/public/%2E./secret.txt", false)]
    [InlineData("file:///srv/public%2Fsecret.txt", false)]
    [InlineData("file:///srv/public/..%5Csecret.txt", false)]
    [InlineData("file:///srv/public\\..\\secret.txt", false)]
    [InlineData("FILE:///srv/secret.txt", false)]
    [InlineData("https://INTERNAL.example/a", false)]
    [InlineData("https://user@Internal.example:443/a", false)]
    [InlineData("https://internal%2Eexample/a", false)]
    public void IsInNormalForm_Uri_RefusesWhatAServerCouldResolveElsewhere(string uri, bool normal) =>
        Assert.Equal(normal, ResourceUri.IsInNormalForm(uri));

    [Theory]
    [InlineData("file:///srv/public/../secret.txt")]
    [InlineData("file:///srv/public/%2e%2e/secret.txt")]
    [InlineData("FILE:///srv/secret.txt")]
    [InlineData("https://INTERNAL.example/a")]
    public void Evaluate_UriThatCouldDodgeAKey_DeniedByTheUriRule(string uri)
    {
        var decision = Read(PolicyTestKit.Compile(Policy), uri);

        Assert.Equal((DecisionKind.Deny, ResourceUri.Rule), (decision.Kind, decision.Rule));
        Assert.StartsWith("the resource URI is not in normal form", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoResourceKeys_UriFormLeftToTheDefault()
    {
        // Without a key there is nothing to dodge: the default decides, whatever the spelling.
        var decision = Read(PolicyTestKit.Compile("""{"version":"1","default":"allow"}"""), "file:///srv/public/../secret.txt");

        Assert.Equal((DecisionKind.Allow, "default"), (decision.Kind, decision.Rule));
    }

    [Fact]
    public void Evaluate_UriInNormalForm_DecidedByItsKey()
    {
        var policy = PolicyTestKit.Compile(Policy);

        Assert.Equal((DecisionKind.Allow, "resources[\"file:///srv/public/*\"]"), Outcome(Read(policy, "file:///srv/public/report.txt")));
        Assert.Equal((DecisionKind.Deny, "resources[\"file:///srv/secret*\"]"), Outcome(Read(policy, "file:///srv/secret.txt")));
    }

    private static (DecisionKind, string) Outcome(PolicyDecision decision) => (decision.Kind, decision.Rule);

    private static PolicyDecision Read(CompiledPolicy policy, string uri) =>
        policy.Resources.Evaluate(new ToolCall("grant", "server", uri, default, null), PolicyTestKit.Noon);
}

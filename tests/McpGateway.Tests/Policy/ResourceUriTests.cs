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
    [InlineData("file:///srv/public/caf%C3%A9.txt", true)] // an escape no key could name otherwise
    [InlineData("https://example.com:8443/a", true)]
    [InlineData("http://[::1]:8080/a", true)]
    [InlineData("http://[::1]/a", true)]
    [InlineData("https://example.com/a?x=%73#", false)] // a fragment, wherever it starts
    [InlineData("file:///srv/secret.txt#x", false)]
    [InlineData("file:///srv/%73ecret.txt", false)] // %73 is s
    [InlineData("file:///srv/secret%2Etxt", false)]
    [InlineData("file:///srv/a%7Eb", false)]
    [InlineData("file:///srv/a%5Fb", false)]
    [InlineData("ui://widget/x%2a", false)] // lower-case hex: %2A in normal form
    [InlineData("file:///srv/100%", false)]
    [InlineData("file:///srv/%4", false)]
    [InlineData("file://localhost/srv/secret.txt", false)]
    [InlineData("https://example.com:443/a", false)]
    [InlineData("http://example.com:80/a", false)]
    [InlineData("https://example.com:/a", false)]
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

    [Theory]
    [InlineData("file:///srv/secret.txt?x", "Deny", "resources[\"file:///srv/secret.txt\"]")]
    [InlineData("file:///srv/secret.txt?", "Deny", "resources[\"file:///srv/secret.txt\"]")]
    [InlineData("file:///srv/hidden.txt?v=2", "Hide", "resources[\"file:///srv/hidden.txt\"]")]
    [InlineData("file:///srv/other.txt?x", "Allow", "resources[\"file:///srv/*\"]")]
    [InlineData("db://t?id=1", "Allow", "resources[\"db://t?id=1\"]")] // the exact key for the URI with its query
    [InlineData("db://t?id=2", "Deny", "resources[\"db://t\"]")]
    public void Evaluate_UriWithAQuery_ADenyOrHideKeyForItsPathCoversIt(string uri, string kind, string rule)
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny",
             "resources":{"file:///srv/*":{},"file:///srv/secret.txt":{"action":"deny"},"file:///srv/hidden.txt":{"action":"hide"},
                          "db://t?id=1":{},"db://t":{"action":"deny"}}}
            """);

        var decision = Read(policy, uri);

        Assert.Equal((kind, rule), (decision.Kind.ToString(), decision.Rule));
    }

    private static (DecisionKind, string) Outcome(PolicyDecision decision) => (decision.Kind, decision.Rule);

    private static PolicyDecision Read(CompiledPolicy policy, string uri) =>
        policy.Resources.Evaluate(new ToolCall("grant", "server", uri, default, null), PolicyTestKit.Noon);
}

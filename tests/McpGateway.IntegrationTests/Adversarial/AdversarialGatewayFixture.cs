namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// One gateway process for every adversarial request (starting one per case would dominate the run):
/// <list type="bullet">
/// <item><c>upstream</c>: an <see cref="SdkUpstream"/> that records every request reaching it, with a configured <c>X-Api-Key</c>;</item>
/// <item><c>other</c>: a second server with its own grant, to present that grant's token on the wrong path;</item>
/// <item><c>everything</c>: server-everything, which issues sessions, with two grants to replay one's session with the other's token.</item>
/// </list>
/// The policy allows <c>echo</c> and <c>add</c> and denies everything else.
/// </summary>
public sealed class AdversarialGatewayFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "http://localhost:6274";
    public const string UpstreamApiKey = "configured-upstream-key";

    private const string Policy = """{"version":"1","default":"deny","tools":{"echo":{},"add":{}}}""";

    internal SdkUpstream Upstream { get; private set; } = null!;

    internal ServerEverything Everything { get; private set; } = null!;

    internal GatewayProcess Gateway { get; private set; } = null!;

    internal RawHttp Http { get; } = new();

    /// <summary>Grant <c>agent</c>, for server <c>upstream</c>.</summary>
    public string Token { get; private set; } = "";

    /// <summary>Grant <c>other-agent</c>, for server <c>other</c>.</summary>
    public string OtherServerToken { get; private set; } = "";

    /// <summary>Grant <c>alice</c>, for server <c>everything</c>.</summary>
    public string AliceToken { get; private set; } = "";

    /// <summary>Grant <c>bob</c>, also for server <c>everything</c>.</summary>
    public string BobToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var upstream = SdkUpstream.StartAsync();
        var everything = ServerEverything.StartAsync();
        Upstream = await upstream;
        Everything = await everything;

        var config = new GatewayConfig()
            .Server("upstream", Upstream.Url, new Dictionary<string, string> { ["X-Api-Key"] = UpstreamApiKey })
            .Server("other", Upstream.Url)
            .Server("everything", Everything.Url)
            .Policy("tools", Policy)
            .Grant("agent", "upstream", "tools", out var token)
            .Grant("other-agent", "other", "tools", out var otherToken)
            .Grant("alice", "everything", "tools", out var alice)
            .Grant("bob", "everything", "tools", out var bob);
        (Token, OtherServerToken, AliceToken, BobToken) = (token, otherToken, alice, bob);

        Gateway = await GatewayProcess.StartAsync(config.Build(), new Dictionary<string, string?> { ["Gateway__AllowedOrigins__0"] = AllowedOrigin });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Everything is not null)
        {
            await Everything.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}

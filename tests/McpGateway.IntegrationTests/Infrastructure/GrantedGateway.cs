using ModelContextProtocol.Client;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway process with the one grant token a test calls it with. Disposing it stops the process, so a
/// test holds both in one <c>await using</c>.
/// </summary>
internal sealed record GrantedGateway(GatewayProcess Gateway, string Token) : IAsyncDisposable
{
    /// <summary>The gateway with one server, one policy and one grant for it, labelled <c>agent</c>.</summary>
    public static async Task<GrantedGateway> StartAsync(string server, Uri upstream, string policy, IDictionary<string, string?>? environment = null)
    {
        var config = new GatewayConfig()
            .Server(server, upstream)
            .Policy("policy", policy)
            .Grant("agent", server, "policy", out var token);
        return new(await GatewayProcess.StartAsync(config.Build(), environment), token);
    }

    public Uri McpUrl(string server) => Gateway.McpUrl(server);

    public ManagedProcess Process => Gateway.Process;

    public Task<IReadOnlyList<JsonElement>> WaitForDecisionsAsync(int count) => Gateway.WaitForDecisionsAsync(count);

    /// <summary>The C# SDK client on <paramref name="server"/>'s endpoint with this grant's token.</summary>
    public Task<McpClient> ConnectAsync(string server, string? protocolVersion = null) =>
        CSharpClient.ConnectAsync(McpUrl(server), Token, protocolVersion);

    public ValueTask DisposeAsync() => Gateway.DisposeAsync();
}

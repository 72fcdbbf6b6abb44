using System.Text.Json.Nodes;
using Amazon.Runtime;
using McpGateway.Aws;

namespace McpGateway.Performance.Infrastructure;

/// <summary>
/// <see cref="MotoServer"/> (the SSM emulator the integration tests use) on 127.0.0.1, holding the benchmark's configuration
/// file as Parameter Store entries under <see cref="Prefix"/>, as an operator's <c>mcpgw</c> commands write it.
/// </summary>
internal sealed class MotoParameterStore : IAsyncDisposable
{
    public const string Prefix = "/mcp-gateway-bench";

    private readonly MotoServer _server;

    private MotoParameterStore(MotoServer server) => _server = server;

    public Uri Endpoint => _server.Endpoint;

    /// <summary>The standard AWS settings that point the gateway's Parameter Store client at this emulator.</summary>
    public IReadOnlyDictionary<string, string?> Environment => MotoServer.Environment(_server.Port);

    /// <summary>Starts moto_server and writes every entry of the configuration file at <paramref name="configPath"/>.</summary>
    public static async Task<MotoParameterStore> StartAsync(string configPath)
    {
        var server = await MotoServer.StartAsync();
        try
        {
            var store = new MotoParameterStore(server);
            await store.SeedAsync(configPath);
            return store;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task SeedAsync(string configPath)
    {
        using var client = ParameterStoreClient.Create(new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey), MotoServer.Region, Endpoint);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!.AsObject();
        foreach (var (section, entries) in config)
        {
            foreach (var (name, entry) in entries!.AsObject())
            {
                var value = entry!.ToJsonString();
                var put = await client.PutParameterAsync($"{Prefix}/{section}/{name}", value, secure: false, advanced: value.Length > 4096, CancellationToken.None);
                if (!put.IsSuccess)
                {
                    throw new InvalidOperationException($"{Prefix}/{section}/{name} ({value.Length} bytes): {put.Message}");
                }
            }
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using McpGateway.Aws;

namespace McpGateway.Performance.Infrastructure;

/// <summary>
/// moto_server (the SSM emulator the integration tests use) on 127.0.0.1, holding the benchmark's configuration
/// file as Parameter Store entries under <see cref="Prefix"/>, as an operator's <c>mcpgw</c> commands write it.
/// </summary>
internal sealed class MotoParameterStore : IAsyncDisposable
{
    public const string Prefix = "/mcp-gateway-bench";

    private readonly ChildProcess _process;

    private MotoParameterStore(ChildProcess process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    /// <summary>The standard AWS settings that point the gateway's Parameter Store client at this emulator.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL_SSM"] = Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "moto",
        ["AWS_SECRET_ACCESS_KEY"] = "moto",
    };

    /// <summary>Starts moto_server and writes every entry of the configuration file at <paramref name="configPath"/>.</summary>
    public static async Task<MotoParameterStore> StartAsync(string configPath)
    {
        var port = Dynalite.FreePort();
        var process = new ChildProcess("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(50);
                }
            }

            var store = new MotoParameterStore(process, port);
            await store.SeedAsync(configPath);
            return store;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task SeedAsync(string configPath)
    {
        using var client = ParameterStoreClient.Create(new BasicAWSCredentials("moto", "moto"), "us-east-1", Endpoint);
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

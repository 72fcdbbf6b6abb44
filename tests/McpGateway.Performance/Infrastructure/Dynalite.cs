using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace McpGateway.Performance.Infrastructure;

/// <summary>
/// dynalite (npm, pinned in infra/node) on 127.0.0.1, the DynamoDB emulator the integration tests use, with
/// a counters table shaped as the deployment template creates it (partition key <c>pk</c>).
/// </summary>
internal sealed class Dynalite : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private Dynalite(ChildProcess process, int port, string table)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        Table = table;
    }

    public Uri Endpoint { get; }

    public string Table { get; }

    public int ProcessId => _process.Id;

    /// <summary>The standard AWS settings that point the gateway's DynamoDB client at this emulator.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL_DYNAMODB"] = Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "dynalite",
        ["AWS_SECRET_ACCESS_KEY"] = "dynalite",
    };

    public static async Task<Dynalite> StartAsync()
    {
        if (!File.Exists(RepoPaths.Dynalite))
        {
            throw new InvalidOperationException($"dynalite is not installed ({RepoPaths.Dynalite}): run `npm ci --prefix infra/node` once");
        }

        var port = FreePort();
        var process = new ChildProcess("node", [RepoPaths.Dynalite, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0"]);
        try
        {
            // dynalite prints nothing when it is ready: poll its port with a deadline.
            var deadline = DateTime.UtcNow.AddSeconds(30);
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

            var table = "counters-perf";
            using var client = new AmazonDynamoDBClient(
                new BasicAWSCredentials("dynalite", "dynalite"),
                new AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{port}", AuthenticationRegion = "us-east-1" });
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            });
            return new Dynalite(process, port, table);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace McpGateway.Testing;

/// <summary>
/// <c>dynalite</c> (npm, pinned in infra/node) on 127.0.0.1: a DynamoDB emulator that serialises writes
/// per key, so concurrency tests against it are exact.
/// </summary>
internal sealed class Dynalite : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private Dynalite(ManagedProcess process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    /// <summary>The standard AWS settings that point the gateway (or any AWS SDK) at this emulator.</summary>
    public IReadOnlyDictionary<string, string> AwsEnvironment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL_DYNAMODB"] = Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "dynalite",
        ["AWS_SECRET_ACCESS_KEY"] = "dynalite",
    };

    /// <summary><see cref="AwsEnvironment"/> plus the gateway settings that count in <paramref name="table"/>.</summary>
    public IDictionary<string, string?> Environment(string table)
    {
        var environment = AwsEnvironment.ToDictionary(e => e.Key, string? (e) => e.Value);
        environment["Gateway__Counters__Table"] = table;

        // Exactness tests share a 2-core machine with other load; a slow write past the production
        // deadline is refused (fail closed) and would count as under-admission, which is not what they test.
        environment["Gateway__Counters__TimeoutMilliseconds"] = "10000";
        return environment;
    }

    public static async Task<Dynalite> StartAsync()
    {
        if (!File.Exists(RepoPaths.Dynalite))
        {
            throw new InvalidOperationException($"dynalite is not installed ({RepoPaths.Dynalite}): run `npm ci --prefix infra/node` once");
        }

        var port = Loopback.FreePort();
        var process = new ManagedProcess(
            "node",
            [RepoPaths.Dynalite, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0"]);
        await process.ReadyWhenListeningAsync(port, TimeSpan.FromSeconds(90));
        return new Dynalite(process, port);
    }

    public AmazonDynamoDBClient CreateClient(TimeSpan? timeout = null) => new(
        new BasicAWSCredentials("dynalite", "dynalite"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            MaxErrorRetry = 2,
        });

    /// <summary>Creates a counters table shaped as the deployment template creates it (partition key pk).</summary>
    public async Task<string> CreateTableAsync()
    {
        var name = "counters-" + Guid.NewGuid().ToString("N")[..12];
        using var client = CreateClient();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        });

        // As on DynamoDB, a table is written to once it is ACTIVE; dynalite answers CreateTable while it is still
        // CREATING, and a write in that moment fails as if the store were down.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await client.DescribeTableAsync(name)).Table.TableStatus != TableStatus.ACTIVE)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dynalite's table {name} did not become ACTIVE within 30 s");
            }

            await Task.Delay(10);
        }

        return name;
    }

    public async Task<long> CountAsync(string table, string counterKey)
    {
        using var client = CreateClient();
        var item = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = new AttributeValue { S = "ctr#" + counterKey } },
            ConsistentRead = true,
        });
        return item.Item is { } found && found.TryGetValue("count", out var count) ? long.Parse(count.N, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

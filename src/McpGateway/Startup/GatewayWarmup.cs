using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using McpGateway.Aws;
using McpGateway.Buffers;
using McpGateway.Configuration;
using McpGateway.Enforcement;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using McpGateway.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.Startup;

/// <summary>
/// Runs the gateway's own start-up and per-call code once, on built-in sample data, on the machine's idle
/// core while the host builds (issue 8: cold start to the first proxied call). Host construction is
/// single-threaded; what runs here meanwhile is the code a framework-dependent ReadyToRun build cannot
/// precompile (generic instantiations across assemblies, the non-backtracking regex engine, the JSON
/// serializer's generated metadata, the OpenSSL bindings behind SHA-256 and AES-GCM), so the configuration
/// load and the first request find it compiled and initialised.
/// </summary>
/// <remarks>
/// Nothing here has an effect outside the process: no log line, no file, no network beyond loopback
/// listeners of its own, no counter, no state the gateway reads later beyond the runtime's and the AWS SDK's
/// own caches. A failure is swallowed, because a warm-up that breaks must not stop a gateway that would have
/// run; the unit tests run it and require it to succeed.
/// </remarks>
public static class GatewayWarmup
{
    // One of each kind of condition the policy language has, with a regex of each flavour (a character class,
    // a case-insensitive alternation), and a limit: what compiling and judging a real policy touches.
    private const string SampleConfig = """
        {
          "servers": { "warmup": { "url": "http://127.0.0.1:9/mcp", "timeout_seconds": 30 } },
          "policies": {
            "warmup": {
              "version": "1",
              "default": "deny",
              "hide": ["secret_tool"],
              "tools": {
                "write_note": {
                  "require": [
                    { "path": "args.title", "op": "regex", "value": "^[A-Za-z0-9 ,._-]{1,120}$" },
                    { "path": "args.priority", "op": "in", "value": ["low", "normal"] },
                    { "path": "args.count", "op": "lte", "value": 10 }
                  ],
                  "deny_if": [ { "path": "args.title", "op": "regex", "value": "(?i)(password|secret)" } ],
                  "limits": [ { "counter": "notes", "window": "minute", "max": 5 } ]
                },
                "list_*": {}
              }
            }
          },
          "grants": {
            "warmup": {
              "token_sha256": "0000000000000000000000000000000000000000000000000000000000000000",
              "server": "warmup",
              "policy": "warmup"
            }
          }
        }
        """;

    private const string SampleCall = """
        {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"write_note","arguments":{"title":"Quarterly review","priority":"normal","count":3,"tags":["a","b"],"nested":{"b":1,"a":true}},"_meta":{"progressToken":"p"}}}
        """;

    private const string SampleEvent = "event: message\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}}\n\n";

    /// <summary>
    /// Starts the warm-up on a thread-pool thread and returns at once; the task never faults. The DynamoDB
    /// client is warmed only when a table is set in the environment, the Parameter Store client only when a
    /// prefix is (as the SAM template sets both): configuration is not built yet, and a gateway with in-memory
    /// counters or a configuration file never loads those SDK clients at all.
    /// </summary>
    public static Task Start() => Task.Run(async () =>
    {
        try
        {
            await RunAsync(
                dynamoDb: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Gateway__Counters__Table")),
                parameterStore: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Gateway__Ssm__Prefix"))).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only the start-up time is at stake (see the remarks).
        }
    });

    /// <summary>The warm-up itself; throws if any step fails (the unit tests call this).</summary>
    internal static async Task RunAsync(bool dynamoDb, bool parameterStore)
    {
        // Before the call's own steps: on Lambda the first configuration load is what the first request
        // waits for, and it starts as soon as the host does.
        var configuration = parameterStore ? LoadOverLoopbackAsync() : Task.CompletedTask;
        var error = JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(SampleCall), out var message, out var detail);
        if (error != GatewayError.None)
        {
            throw new InvalidOperationException("the warm-up call did not parse: " + detail);
        }

        using (message)
        {
            var decision = JudgeAndLog(message!);
            await ExchangeOverLoopbackAsync(message!).ConfigureAwait(false);
            if (dynamoDb)
            {
                await ReserveOverLoopbackAsync(decision).ConfigureAwait(false);
            }
        }

        SealAndReadEvent();
        await configuration.ConfigureAwait(false);
    }

    /// <summary>
    /// A whole configuration load by the real <see cref="SsmConfigProvider"/> through an AWS SDK Parameter Store
    /// client of its own (fixed credentials and region), whose transport reaches a <see cref="LoopbackAnswer"/>
    /// answering as SSM answers <c>GetParametersByPath</c> with one policy: the SDK's first request (pipeline,
    /// marshallers, signer, HTTP client) and the provider's parse of an entry are on the path of the gateway's
    /// first load, which every MCP request waits for. The gateway's own client is not touched.
    /// </summary>
    private static async Task LoadOverLoopbackAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var server = LoopbackAnswer.Start("application/x-amz-json-1.1", SampleParameters(), timeout.Token);
        using var provider = new SsmConfigProvider(
            ParameterStoreClient.Create(new BasicAWSCredentials("warmup", "warmup"), "us-east-1", server.Url, maxErrorRetry: 0),
            Options.Create(new SsmSourceOptions { Prefix = "/warmup" }),
            TimeProvider.System,
            NullLogger<SsmConfigProvider>.Instance);
        if (!await provider.RefreshAsync(timeout.Token).ConfigureAwait(false) || provider.Current.Policies.Count != 1)
        {
            throw new InvalidOperationException("the warm-up configuration did not load");
        }

        await server.Served.ConfigureAwait(false);
    }

    /// <summary>The sample policy as one page of <c>GetParametersByPath</c> (SSM's JSON 1.1 wire form).</summary>
    private static string SampleParameters()
    {
        var policy = System.Text.Json.Nodes.JsonNode.Parse(SampleConfig)!["policies"]!["warmup"]!.ToJsonString();
        var page = new System.Text.Json.Nodes.JsonObject
        {
            ["Parameters"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["Name"] = "/warmup/policies/warmup",
                ["Type"] = "String",
                ["Value"] = policy,
                ["Version"] = 1,
            }),
        };
        return page.ToJsonString();
    }

    /// <summary>
    /// The sample call forwarded as the forwarder forwards it (its re-serialisation, sent by
    /// <see cref="PooledJsonContent"/> through the upstream client's own handler settings) to a
    /// <see cref="LoopbackAnswer"/>, which answers one canned JSON response: the connection pool, request and
    /// response paths of <see cref="SocketsHttpHandler"/> are about 150 methods the first proxied call
    /// otherwise compiles. Nothing leaves the process.
    /// </summary>
    private static async Task ExchangeOverLoopbackAsync(JsonRpcMessage message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var server = LoopbackAnswer.Start("application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}", timeout.Token);
        using var client = new UpstreamClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Url, "mcp"))
        {
            Content = new PooledJsonContent(UpstreamForwarder.Reserialize(message)),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        using var response = await client.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var buffer = new byte[256];
        while (await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0)
        {
        }

        await server.Served.ConfigureAwait(false);
    }

    /// <summary>
    /// The sample call's limit reserved by the real <see cref="DynamoDbCounterStore"/> through an AWS SDK
    /// client of its own, with fixed credentials and region, whose endpoint is a <see cref="LoopbackAnswer"/>
    /// answering as DynamoDB answers a successful <c>UpdateItem</c>. The SDK's first request (its pipeline,
    /// marshallers, SigV4 signer and HTTP client) was about 90 ms of a cold start with DynamoDB counters. The
    /// gateway's own client is not touched: it still resolves its credentials and region on first use.
    /// </summary>
    private static async Task ReserveOverLoopbackAsync(PolicyDecision decision)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var server = LoopbackAnswer.Start("application/x-amz-json-1.0", "{}", timeout.Token);
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("warmup", "warmup"),
            new AmazonDynamoDBConfig { ServiceURL = server.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(5) });
        var store = new DynamoDbCounterStore(client, Options.Create(new CounterStoreOptions { Table = "warmup", TimeoutMilliseconds = 5000 }), TimeProvider.System, NullLogger<DynamoDbCounterStore>.Instance);
        var outcome = await store.ReserveAsync(decision.Limits, timeout.Token).ConfigureAwait(false);
        if (outcome.Status != ReservationStatus.Reserved)
        {
            throw new InvalidOperationException("the warm-up reservation was not admitted: " + outcome.Status);
        }

        await server.Served.ConfigureAwait(false);
    }

    /// <summary>A sample configuration loaded, the call judged against it, and its decision line formatted.</summary>
    private static PolicyDecision JudgeAndLog(JsonRpcMessage message)
    {
        var snapshot = ConfigFileLoader.Parse(Encoding.UTF8.GetBytes(SampleConfig), "warm-up sample", static _ => { });
        var policy = snapshot.Policies["warmup"].Compiled ?? throw new InvalidOperationException("the warm-up policy did not compile");
        _ = snapshot.FindGrant(SHA256.HashData("warm-up"u8));

        var now = TimeProvider.System.GetUtcNow();
        var decision = policy.Evaluate(new ToolCall("warmup", "warmup", message.ToolName!, message.Arguments, null), now);
        using var line = new PooledBufferWriter();
        var entry = new DecisionLogEntry
        {
            Time = now,
            RequestId = message.IdText,
            Grant = "warmup",
            Server = "warmup",
            Tool = message.ToolName!,
            Decision = PolicyResultWriter.DecisionName(decision.Kind),
            Rule = decision.Rule,
            Outcome = CallOutcomes.Names.NameOf(CallOutcome.Forwarded),
            Policy = "warmup",
            ArgumentKeys = ["title"],
            ArgumentsSha256 = CanonicalJson.Sha256Hex(message.Arguments),
            LatencyMs = 0.1,
            UpstreamStatus = 200,
            UpstreamLatencyMs = 0.05,
            MetricTool = message.ToolName,
        };
        StdoutDecisionLog.Format(line, entry, DecisionLogJsonContext.Default.DecisionLogEntry);

        // The EMF form too (issue 18: the template turns it on); its directive is encoded here for the first time.
        line.Clear();
        StdoutDecisionLog.FormatWithMetrics(line, entry, new Metrics.EmfWriter(toolDimension: true));
        return decision;
    }

    /// <summary>A session sealed and unsealed (AES-GCM), and one SSE event read and parsed.</summary>
    private static void SealAndReadEvent()
    {
        var sealer = new SessionSealer(RandomNumberGenerator.GetBytes(32));
        if (!sealer.TryUnseal(sealer.Seal("warmup", "session"), out _, out _))
        {
            throw new InvalidOperationException("the warm-up session did not unseal");
        }

        var reader = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes(SampleEvent)), 1 << 16);
        try
        {
            var item = reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (item is not { HasData: true })
            {
                throw new InvalidOperationException("the warm-up event did not read");
            }

            using var document = JsonDocument.Parse(item.Value.Data);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

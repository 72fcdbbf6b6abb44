using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGateway.Configuration;
using McpGateway.Enforcement;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.Sessions;

namespace McpGateway.Hosting;

/// <summary>
/// Runs the gateway's own start-up and per-call code once, on built-in sample data, on the machine's idle
/// core while the host builds (issue 8: cold start to the first proxied call). Host construction is
/// single-threaded; what runs here meanwhile is the code a framework-dependent ReadyToRun build cannot
/// precompile (generic instantiations across assemblies, the non-backtracking regex engine, the JSON
/// serializer's generated metadata, the OpenSSL bindings behind SHA-256 and AES-GCM), so the configuration
/// load and the first request find it compiled and initialised.
/// </summary>
/// <remarks>
/// Nothing here has an effect outside the process: no log line, no file, no network, no counter, no state
/// the gateway reads later beyond the runtime's own caches. A failure is swallowed, because a warm-up that
/// breaks must not stop a gateway that would have run; the unit tests run it and require it to succeed.
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

    /// <summary>Starts the warm-up on a thread-pool thread and returns at once; the task never faults.</summary>
    public static Task Start() => Task.Run(async () =>
    {
        try
        {
            await RunAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only the start-up time is at stake (see the remarks).
        }
    });

    /// <summary>The warm-up itself; throws if any step fails (the unit tests call this).</summary>
    internal static async Task RunAsync()
    {
        var error = JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(SampleCall), out var message, out var detail);
        if (error != GatewayError.None)
        {
            throw new InvalidOperationException("the warm-up call did not parse: " + detail);
        }

        using (message)
        {
            JudgeAndLog(message!);
            await ExchangeOverLoopbackAsync(message!).ConfigureAwait(false);
        }

        SealAndReadEvent();
    }

    /// <summary>
    /// The sample call forwarded as the forwarder forwards it (its re-serialisation, sent by
    /// <see cref="PooledJsonContent"/> through the upstream client's own handler settings) to a listener of this
    /// method's own on an ephemeral loopback port, which answers one canned JSON response: the connection pool,
    /// request and response paths of <see cref="SocketsHttpHandler"/> are about 150 methods the first proxied
    /// call otherwise compiles. Nothing leaves the process.
    /// </summary>
    private static async Task ExchangeOverLoopbackAsync(JsonRpcMessage message)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start(1);
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var server = AnswerOnceAsync(listener, timeout.Token);

        using var client = new UpstreamClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/mcp"))
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

        await server.ConfigureAwait(false);
    }

    private static async Task AnswerOnceAsync(System.Net.Sockets.TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        var received = new byte[4096];
        var total = 0;

        // The request is small and arrives whole or in a few reads; its end is the end of the sample body.
        while (total < received.Length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total), cancellationToken).ConfigureAwait(false);
            total += read;
            if (read == 0 || received.AsSpan(0, total).EndsWith("}}}"u8))
            {
                break;
            }
        }

        const string Body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}";
        var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}");
        await socket.SendAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A sample configuration loaded, the call judged against it, and its decision line formatted.</summary>
    private static void JudgeAndLog(JsonRpcMessage message)
    {
        var snapshot = ConfigFileLoader.Parse(Encoding.UTF8.GetBytes(SampleConfig), "warm-up sample", static _ => { });
        var policy = snapshot.Policies["warmup"].Compiled ?? throw new InvalidOperationException("the warm-up policy did not compile");
        _ = snapshot.FindGrant(SHA256.HashData("warm-up"u8));

        var now = TimeProvider.System.GetUtcNow();
        var decision = policy.Evaluate(new ToolCall("warmup", "warmup", message.ToolName!, message.Arguments, null), now);
        using var line = new PooledBufferWriter();
        StdoutDecisionLog.Format(line, new DecisionLogEntry
        {
            Time = now,
            RequestId = message.IdText,
            Grant = "warmup",
            Server = "warmup",
            Tool = message.ToolName!,
            Decision = PolicyResultWriter.DecisionName(decision.Kind),
            Rule = decision.Rule,
            Outcome = "forwarded",
            Policy = "warmup",
            ArgumentKeys = ["title"],
            ArgumentsSha256 = CanonicalJson.Sha256Hex(message.Arguments),
            LatencyMs = 0.1,
            UpstreamStatus = 200,
        }, DecisionLogJsonContext.Default.DecisionLogEntry);
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

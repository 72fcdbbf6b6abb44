using static McpGateway.IntegrationTests.Infrastructure.MisbehavingUpstreamFake;

namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// One gateway in front of one <see cref="MisbehavingUpstreamFake"/> for every fault case (issue 16): the tool a
/// call names picks the misbehaviour, and every tool has a limit of one call a year, so a second call shows
/// whether the first kept its quota. Responses are capped at 64 KiB and streams may idle for 2 s.
/// </summary>
public sealed class MisbehavingUpstreamFixture : IAsyncLifetime
{
    public const int MaxResponseBytes = 64 * 1024;

    public static readonly string[] Tools =
    [
        "foreign_json", "foreign_sse", "html_500", "empty_502", "oversize_event", "garbage_after_200",
        "drop_after_200", "answer_then_garbage", "empty_sse", "silent_stream", "refuse_401",
        "oversize_json", "batch_sse", "duplicate_json", "garbage_json",
    ];

    /// <summary>A tool the upstream lists but the policy does not: the grant must never see it in a list.</summary>
    public const string SecretTool = "secret_tool";

    internal MisbehavingUpstreamFake Upstream { get; private set; } = null!;

    internal GatewayProcess Gateway { get; private set; } = null!;

    internal RawHttp Http { get; } = new();

    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Upstream = new MisbehavingUpstreamFake(AnswerAsync);
        var tools = string.Join(",", Tools.Select(t => $$"""
            "{{t}}": { "limits": [ { "counter": "{{t}}", "window": 31536000, "max": 1 } ] }
            """));
        var config = new GatewayConfig()
            .Server("misbehaving", Upstream.Url, idleTimeoutSeconds: 2)
            .Policy("limited", "{ \"version\": \"1\", \"default\": \"deny\", \"tools\": { " + tools + " } }")
            .Grant("agent", "misbehaving", "limited", out var token);
        Token = token;
        Gateway = await GatewayProcess.StartAsync(config.Build(), new Dictionary<string, string?>
        {
            ["Gateway__MaxResponseMessageBytes"] = MaxResponseBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static string Event(string json) => $"event: message\ndata: {json}\n\n";

    private static string Result(string id) => $$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{"content":[{"type":"text","text":"done"}]}}""";

    private const string Progress = """{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"working"}}""";

    /// <summary>A tools/list answer whose list the gateway can only filter if it reads it as the client would.</summary>
    private static string ListWithSecret(string id, string tools) =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{{{tools}}}}""";

    private static async Task AnswerAsync(FakeRequest request)
    {
        const string Sse = "text/event-stream";
        var listed = $$$"""{"name":"{{{SecretTool}}}","inputSchema":{"type":"object"}}""";
        switch (request.Method == "tools/list" ? "list_" + request.Id.Trim('"') : request.Tool)
        {
            case "list_duplicate_json":
                // Two "tools" members: a reader that keeps one judges the empty list while the client may read the other.
                await request.WriteAsync(Whole(200, "application/json", ListWithSecret(request.Id, $$"""{"tools":[{{listed}}],"tools":[]}""")));
                break;
            case "list_batch_sse":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event("[" + ListWithSecret(request.Id, $$"""{"tools":[{{listed}}]}""") + "]")) + LastChunk);
                break;
            case "oversize_json":
                // Just over the bound, in one read: the message is complete the moment it is over.
                await request.WriteAsync(Whole(200, "application/json", $$$"""{"jsonrpc":"2.0","id":{{{request.Id}}},"result":{"pad":"{{{new string('x', MaxResponseBytes - 30)}}}"}}"""));
                break;
            case "batch_sse":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event("[" + Result(request.Id) + "]")) + LastChunk);
                break;
            case "garbage_json":
                await request.WriteAsync(Whole(200, "application/json", """{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"done"}]}"""));
                break;
            case "duplicate_json":
                await request.WriteAsync(Whole(200, "application/json", $$$"""{"jsonrpc":"2.0","id":{{{request.Id}}},"result":{"content":[{"type":"text","text":"done"}],"content":[]}}"""));
                break;
            case "foreign_json":
                await request.WriteAsync(Whole(200, "application/json", Result("999")));
                break;
            case "foreign_sse":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event(Result("999"))) + LastChunk);
                break;
            case "html_500":
                await request.WriteAsync(Whole(500, "text/html", "<html><body>Internal Server Error</body></html>"));
                break;
            case "empty_502":
                await request.WriteAsync(Head(502, null, 0));
                break;
            case "oversize_event":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event($$$"""{"jsonrpc":"2.0","id":{{{request.Id}}},"result":{"pad":"{{{new string('x', MaxResponseBytes + 10)}}}"}}""")) + LastChunk);
                break;
            case "garbage_after_200":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event(Progress)) + Chunk("data: {not json\n\n") + LastChunk);
                break;
            case "drop_after_200":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event(Progress)));
                request.Abort();
                break;
            case "answer_then_garbage":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk(Event(Result(request.Id))) + Chunk("data: {not json\n\n") + LastChunk);
                break;
            case "empty_sse":
                await request.WriteAsync(Head(200, Sse, 0));
                break;
            case "silent_stream":
                await request.WriteAsync(Head(200, Sse, chunked: true) + Chunk("id: prime-1\ndata:\n\n"));
                await request.HoldAsync();
                break;
            case "refuse_401":
                await request.WriteAsync(Whole(401, "application/json", """{"error":"unauthorized"}"""));
                break;
            default:
                await request.WriteAsync(Whole(404, "text/plain", "no such scenario"));
                break;
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

using System.Net.Http.Headers;
using static McpGateway.IntegrationTests.Infrastructure.MisbehavingUpstreamFake;

namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// A JSON answer that holds several messages (MCP 2026-07-28 streams progress and then the result, or a
/// <c>subscriptions/listen</c> stream, in one <c>application/json</c> body, issue 21): the gateway relays each message
/// as a line the moment it is complete, never the body whole, and a stream that breaks, goes silent or ends
/// unanswered ends with a JSON-RPC error line for the request. The upstream is a hand-made fake (no real server
/// writes these bodies on demand); it waits for the test before it writes the answer.
/// </summary>
public sealed class JsonStreamRelayTests : IAsyncLifetime
{
    private const string Progress = """{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1}}""";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MisbehavingUpstreamFake Upstream { get; set; } = null!;

    private GatewayProcess Gateway { get; set; } = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        Upstream = new MisbehavingUpstreamFake(AnswerAsync);
        var config = new GatewayConfig()
            .Server("streaming", Upstream.Url, idleTimeoutSeconds: 2)
            .Policy("open", """{"version":"1","default":"allow","resources":{"file:///private/*":{"action":"deny","reason":"private files"}}}""")
            .Grant("agent", "streaming", "open", out _token);
        Gateway = await GatewayProcess.StartAsync(config.Build());
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    private static string Result(string id) => $$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{"content":[{"type":"text","text":"done"}]}}""";

    private async Task AnswerAsync(FakeRequest request)
    {
        const string Json = "application/json";
        switch (request.Method == "subscriptions/listen" ? "listen" : request.Tool)
        {
            case "progress_then_result":
                await request.WriteAsync(Head(200, Json, chunked: true) + Chunk(Progress + "\n"));
                await _release.Task;
                await request.WriteAsync(Chunk(Result(request.Id) + "\n") + LastChunk);
                break;
            case "ends_unanswered":
                await request.WriteAsync(Head(200, Json, chunked: true) + Chunk(Progress + "\n") + LastChunk);
                break;
            case "goes_silent":
                await request.WriteAsync(Head(200, Json, chunked: true) + Chunk(Progress + "\n"));
                await request.HoldAsync();
                break;
            case "foreign_after_progress":
                await request.WriteAsync(Head(200, Json, chunked: true) + Chunk(Progress + "\n" + Result("999") + "\n") + LastChunk);
                break;
            case "answer_then_garbage":
                await request.WriteAsync(Whole(200, Json, Result(request.Id) + "\n{this is not json"));
                break;
            case "listen":
                await request.WriteAsync(Head(200, Json, chunked: true) +
                    Chunk("""{"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":{"toolsListChanged":true}}}""" + "\n"));
                await _release.Task;
                await request.WriteAsync(Chunk("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{}}""" + "\n"));
                await request.HoldAsync();
                break;
            default:
                await request.WriteAsync(Whole(404, "text/plain", "no such scenario"));
                break;
        }
    }

    [Fact]
    public async Task ProgressThenResult_EachMessageReachesTheClientAsItArrives()
    {
        using var response = await SendAsync(ToolCall("progress_then_result"));
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        // The upstream holds its answer back until the progress line has reached the client: a buffered relay hangs here.
        var first = await ReadLineAsync(lines);
        Assert.Equal("notifications/progress", first.GetProperty("method").GetString());
        _release.SetResult();
        var answer = await ReadLineAsync(lines);
        Assert.Equal(7, answer.GetProperty("id").GetInt32());
        Assert.Equal("done", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Null(await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        var decision = Assert.Single(await Gateway.WaitForDecisionsAsync(1));
        Assert.Equal("forwarded", decision.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("ends_unanswered", "ended its JSON stream before answering", "upstream_invalid")]
    [InlineData("goes_silent", "sent nothing for 2 s", "upstream_idle")]
    [InlineData("foreign_after_progress", "sent a response with another id", "upstream_invalid")]
    public async Task BrokenStream_EndsWithAnErrorLineForTheRequest(string tool, string detail, string outcome)
    {
        using var response = await SendAsync(ToolCall(tool));
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("notifications/progress", (await ReadLineAsync(lines)).GetProperty("method").GetString());
        var error = await ReadLineAsync(lines);
        Assert.Equal(7, error.GetProperty("id").GetInt32());
        Assert.Equal(-32000, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains(detail, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("999", error.GetRawText(), StringComparison.Ordinal);
        Assert.Null(await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        var decision = Assert.Single(await Gateway.WaitForDecisionsAsync(1));
        Assert.Equal(outcome, decision.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AnswerThenGarbage_TheAnswerGoesOutWholeAndTheRestIsNeverRead()
    {
        using var response = await SendAsync(ToolCall("answer_then_garbage"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal("done", answer.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Listen_RelaysTheAcknowledgementAtOnceAndLaterNotificationsAsTheyCome()
    {
        using var response = await SendAsync(Listen("""{"toolsListChanged":true}"""));
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("notifications/subscriptions/acknowledged", (await ReadLineAsync(lines)).GetProperty("method").GetString());
        _release.SetResult();
        Assert.Equal("notifications/tools/list_changed", (await ReadLineAsync(lines)).GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("""{"resourceSubscriptions":["file:///private/keys"]}""", -32001)]
    [InlineData("""{"resourceSubscriptions":"file:///public/a"}""", -32602)]
    public async Task Listen_SubscribingToAResourceThePolicyRefuses_NeverReachesTheUpstream(string notifications, int code)
    {
        using var response = await SendAsync(Listen(notifications));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(code, answer.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, Upstream.Calls(""));
    }

    private static string ToolCall(string tool) =>
        """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(tool) + ""","arguments":{}}}""";

    private static string Listen(string notifications) =>
        """{"jsonrpc":"2.0","id":7,"method":"subscriptions/listen","params":{"notifications":""" + notifications + "}}";

    private async Task<HttpResponseMessage> SendAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Gateway.McpUrl("streaming"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.ParseAdd(RawHttp.McpAccept);
        return await StreamingClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static readonly HttpClient StreamingClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<JsonElement> ReadLineAsync(StreamReader lines)
    {
        var line = await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(string.IsNullOrEmpty(line), "the stream ended or sent an empty line");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}

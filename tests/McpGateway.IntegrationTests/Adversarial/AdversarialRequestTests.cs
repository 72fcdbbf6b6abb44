using System.Net.Http.Headers;

namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// Requests no well-behaved MCP client sends, made by hand against the real gateway process (issue 3).
/// Each refused request is answered with an exact status and JSON-RPC error, and the upstream, which
/// records every request reaching it, proves that nothing got through.
/// </summary>
public sealed partial class AdversarialRequestTests(AdversarialGatewayFixture fixture) : IClassFixture<AdversarialGatewayFixture>
{
    private const string EchoCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";

    private const string ToolsList = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    /// <summary>One byte over the default <c>Gateway:MaxRequestBytes</c> (1 MiB).</summary>
    private const int OverLimit = 1024 * 1024 + 1;

    private Uri Url => fixture.Gateway.McpUrl("upstream");

    private RawHttp Http => fixture.Http;

    [Theory]
    [InlineData("[" + EchoCall + "]")]
    [InlineData("[" + EchoCall + "," + EchoCall + "]")]
    [InlineData("[]")]
    public async Task Post_JsonArrayBatch_Returns400InvalidRequestWithoutForwarding(string body)
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, RawHttp.Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","name":"secret","arguments":{"message":"hi"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi","message":"bye"}}}""")]
    public async Task Post_DuplicateKey_Returns400ParseErrorWithoutForwarding(string body)
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, RawHttp.Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32700, reply.ErrorCode);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"Method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list","Method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""", -32600)]
    [InlineData("""{"JSONRPC":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"NAME":"echo","arguments":{"message":"hi"}}}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","NAME":"secret","arguments":{"message":"hi"}}}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","Arguments":{"message":"hi"}}}""", -32602)]
    public async Task Post_MemberDifferingOnlyInCase_Returns400WithoutForwarding(string body, int code)
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, RawHttp.Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(code, reply.ErrorCode);
    }

    /// <summary>
    /// A request without an id is a notification: it gets no answer, so it could never carry a denial. Forwarded,
    /// a tools/call, a read, a subscription or a task's cancellation would reach the upstream unjudged, and a lenient
    /// server would act on it. MCP sends only notifications/* without an id.
    /// </summary>
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"secret","arguments":{"message":"hi"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"resources/read","params":{"uri":"secret://x"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"resources/subscribe","params":{"uri":"secret://x"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"prompts/get","params":{"name":"secret"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"secret"},"argument":{"name":"a","value":""}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"tasks/cancel","params":{"taskId":"raw-task-1"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"vendor/act"}""")]
    public async Task Request_AsNotification_Returns400InvalidRequestWithoutForwarding(string body)
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, RawHttp.Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    /// <summary>Bodies that parse as JSON but whose text is not Unicode: invalid UTF-8, or an escaped unpaired surrogate.</summary>
    public static TheoryData<string, byte[]> NonUnicodeBodies => new()
    {
        { "invalid UTF-8 in the tool name", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ech""", [0xFF], """o","arguments":{"message":"hi"}}}""") },
        { "invalid UTF-8 in an argument value", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"h""", [0xC3, 0x28], """i"}}}""") },
        { "invalid UTF-8 in an argument name", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi","x""", [0xFF], "\":1}}}") },
        { "invalid UTF-8 in the method", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/lis""", [0xFF], """t"}""") },
        { "UTF-8 encoded surrogate in an argument value", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"h""", [0xED, 0xA0, 0x80], """i"}}}""") },
        { "unpaired surrogate escape in the tool name", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo\ud800","arguments":{"message":"hi"}}}""") },
        { "unpaired surrogate escape in an argument value", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"h\udc00i"}}}""") },
        { "unpaired surrogate escape in an argument name", Utf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi","\ud800":1}}}""") },
        { "unpaired surrogate escape in the id", Utf8("""{"jsonrpc":"2.0","id":"\ud800","method":"tools/list"}""") },
    };

    [Theory]
    [MemberData(nameof(NonUnicodeBodies))]
    public async Task Post_TextNotUnicode_Returns400ParseErrorWithoutForwarding(string what, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, content));

        Assert.True(HttpStatusCode.BadRequest == reply.Status, $"{what}: HTTP {(int)reply.Status} {reply.Body}");
        Assert.Equal(-32700, reply.ErrorCode);
    }

    /// <summary>A properly paired escape is Unicode: it reaches the upstream, judged and re-serialised.</summary>
    [Fact]
    public async Task ToolsCall_PairedSurrogateEscape_IsForwarded()
    {
        var echoes = fixture.Upstream.Calls("echo");

        var reply = await Http.PostAsync(Url, fixture.Token, RawHttp.Json("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"\ud83d\ude00"}}}"""));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("Echo: \U0001F600", reply.Message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(echoes + 1, fixture.Upstream.Calls("echo"));
    }

    public static TheoryData<string> InvalidToolNames => [.. ToolNameExamples.Invalid];

    /// <summary>Valid JSON-RPC carrying an invalid tool name: the agent gets a denial it can read, not a protocol error.</summary>
    [Theory]
    [MemberData(nameof(InvalidToolNames))]
    public async Task ToolsCall_NameOutsideToolNameRules_DeniedByToolNameRuleWithoutForwarding(string name)
    {
        // Raw UTF-8 on the wire, not \u escapes: the gateway must judge the characters, whatever their spelling.
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + name + "\",\"arguments\":{\"message\":\"hi\"}}}";

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, RawHttp.Json(body)));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1, reply.Message.GetProperty("id").GetInt32());
        Assert.True(reply.Message.GetProperty("result").GetProperty("isError").GetBoolean());
        Assert.Equal("deny", reply.PolicyMeta.GetProperty("decision").GetString());
        Assert.Equal("tool_name", reply.PolicyMeta.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Post_BodyOverLimitWithContentLength_Returns413WithoutForwarding()
    {
        var content = RawHttp.Json(OversizedEchoCall());
        Assert.Equal(OverLimit, content.Headers.ContentLength);

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, content));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Returns413WithoutForwarding()
    {
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(OversizedEchoCall()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, content, request =>
        {
            request.Headers.TransferEncodingChunked = true;
            Assert.Null(request.Content!.Headers.ContentLength);
        }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    private static Action<HttpRequestMessage> WithSession(string session) => request =>
    {
        request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
    };

    /// <summary>Initializes a session with server-everything through the gateway and returns the sealed id.</summary>
    private async Task<string> InitializeSessionAsync(string token)
    {
        var everything = fixture.Gateway.McpUrl("everything");
        var initialize = await Http.PostAsync(everything, token, RawHttp.Json(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"adversarial-tests","version":"1.0"}}}"""));
        Assert.Equal(HttpStatusCode.OK, initialize.Status);
        var session = initialize.Header("Mcp-Session-Id");
        Assert.NotNull(session);
        Assert.StartsWith("mgs1.", session, StringComparison.Ordinal);

        var initialized = await Http.PostAsync(everything, token, RawHttp.Json("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""), WithSession(session));
        Assert.Equal(HttpStatusCode.Accepted, initialized.Status);
        return session;
    }

    /// <summary>The echo call with <paramref name="headers"/> added, checked not to reach the upstream.</summary>
    private Task<RawReply> UnforwardedEchoAsync(params (string Name, string Value)[] headers) => UnforwardedAsync(() => PostEchoAsync(headers));

    /// <summary>The echo call with <paramref name="headers"/> added, as sent (no validation of their values).</summary>
    private Task<RawReply> PostEchoAsync(params (string Name, string Value)[] headers) =>
        Http.PostAsync(Url, fixture.Token, RawHttp.Json(EchoCall), request =>
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        });

    /// <summary>
    /// Sends, then proves the upstream saw nothing. The gateway answers a forwarded request only after the
    /// upstream recorded it, so the counts are final once the reply is in: no waiting needed.
    /// </summary>
    private async Task<RawReply> UnforwardedAsync(Func<Task<RawReply>> send)
    {
        var requests = fixture.Upstream.RequestBodies.Count;
        var calls = fixture.Upstream.TotalCalls;

        var reply = await send();

        Assert.Equal(requests, fixture.Upstream.RequestBodies.Count);
        Assert.Equal(calls, fixture.Upstream.TotalCalls);
        return reply;
    }

    private static byte[] Utf8(string before, byte[]? raw = null, string after = "") =>
        [.. Encoding.UTF8.GetBytes(before), .. raw ?? [], .. Encoding.UTF8.GetBytes(after)];

    private static string OversizedEchoCall()
    {
        var prefix = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":""";
        const string suffix = "\"}}}";
        var body = prefix + "\"" + new string('x', OverLimit - prefix.Length - 1 - suffix.Length) + suffix;
        Assert.Equal(OverLimit, Encoding.UTF8.GetByteCount(body));
        using var check = JsonDocument.Parse(body);
        return body;
    }

    /// <summary>A body of unknown length, so HTTP/1.1 sends it chunked (as the C# SDK client does).</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

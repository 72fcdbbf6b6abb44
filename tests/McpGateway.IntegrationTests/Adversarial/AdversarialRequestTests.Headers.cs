using System.Net.Http.Headers;

namespace McpGateway.IntegrationTests.Adversarial;

// Content types, origins, MCP headers and methods the endpoint refuses.
public sealed partial class AdversarialRequestTests
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Post_ContentTypeNotJson_Returns415WithoutForwarding(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(EchoCall));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token, content, request =>
            Assert.Equal(contentType, request.Content!.Headers.ContentType?.MediaType)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    /// <summary>A foreign origin, and a loopback origin on a request to a foreign Host (DNS rebinding).</summary>
    [Theory]
    [InlineData("http://evil.example", null)]
    [InlineData("http://localhost:1", "rebind.example")]
    public async Task Post_OriginNotAllowed_Returns403WithoutForwarding(string origin, string? host)
    {
        var reply = host is null
            ? await UnforwardedEchoAsync(("Origin", origin))
            : await UnforwardedEchoAsync(("Origin", origin), ("Host", host));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
    }

    [Fact]
    public async Task Post_LoopbackOriginAndHost_IsForwarded()
    {
        var before = fixture.Upstream.Calls("echo");

        var reply = await PostEchoAsync(("Origin", "http://localhost:1"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(before + 1, fixture.Upstream.Calls("echo"));
    }

    [Fact]
    public async Task Post_ConfiguredOrigin_IsForwarded()
    {
        var before = fixture.Upstream.Calls("echo");

        var reply = await PostEchoAsync(("Origin", AdversarialGatewayFixture.AllowedOrigin));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("Echo: hi", reply.Message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(before + 1, fixture.Upstream.Calls("echo"));
    }

    [Theory]
    [InlineData("Mcp-Method", "tools/list")]
    [InlineData("Mcp-Method", "tools/call, tools/call")]
    [InlineData("Mcp-Name", "add")]
    [InlineData("Mcp-Name", "ECHO")]
    [InlineData("Mcp-Name", "=?base64?YWRk?=")] // "add", encoded: decoded, then compared
    [InlineData("Mcp-Name", "=?base64?not base64?=")]
    [InlineData("Mcp-Name", "=?base64?/w==?=")] // Base64 of a byte that is not UTF-8
    [InlineData("Mcp-Name", "=?BASE64?ZWNobw==?=")] // the markers are lower case: this is a plain value, not "echo"
    public async Task Post_McpHeaderDisagreeingWithBody_Returns400WithoutForwarding(string header, string value)
    {
        var reply = header == "Mcp-Method"
            ? await UnforwardedEchoAsync(("MCP-Protocol-Version", "2026-07-28"), (header, value))
            : await UnforwardedEchoAsync(("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), (header, value));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32020, reply.ErrorCode); // 2026-07-28's HeaderMismatch
        Assert.Equal(1, reply.Message.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Post_McpNameEncoded_DecodedBeforeComparingAndForwarded()
    {
        var before = fixture.Upstream.Calls("echo");
        using var request = RawToolCall.Stateless(Url, fixture.Token, "tools/call", "\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}", "{}", name: "=?base64?ZWNobw==?=");

        var reply = await Http.SendAsync(request);

        Assert.True(HttpStatusCode.OK == reply.Status, reply.Body);
        Assert.Equal("Echo: hi", reply.Message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(before + 1, fixture.Upstream.Calls("echo"));
    }

    [Fact]
    public async Task Post_McpHeaderDisagreeingWithBodyBeforeStatelessRevision_Returns400InvalidRequest()
    {
        var reply = await UnforwardedEchoAsync(("MCP-Protocol-Version", "2025-11-25"), ("Mcp-Method", "tools/list"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    [Fact]
    public async Task Post_StatelessRevisionWithoutMcpMethod_Returns400WithoutForwarding()
    {
        var reply = await UnforwardedEchoAsync(("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Name", "echo"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32020, reply.ErrorCode);
    }

    [Fact]
    public async Task Put_Returns405WithAllowHeader()
    {
        var reply = await UnforwardedAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, Url) { Content = RawHttp.Json(EchoCall) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Token);
            return await Http.SendAsync(request);
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
        Assert.Equal(["DELETE", "GET", "POST"], reply.Header("Allow")!.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }
}

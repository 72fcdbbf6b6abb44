namespace McpGateway.IntegrationTests.Adversarial;

// What reaches the upstream of a call the gateway lets through: the parsed message, none of the client's credentials or trace context.
public sealed partial class AdversarialRequestTests
{
    [Fact]
    public async Task ToolsCall_Allowed_UpstreamGetsConfiguredHeaderButNotClientCredentials()
    {
        var before = fixture.Upstream.RequestHeaders.Count;

        var reply = await PostEchoAsync(("X-Api-Key", "client-supplied-key"), ("Cookie", "session=client"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(before + 1, fixture.Upstream.RequestHeaders.Count);
        var headers = fixture.Upstream.RequestHeaders.Last();
        Assert.False(headers.ContainsKey("Authorization"), "the client's Authorization header reached the upstream");
        Assert.False(headers.ContainsKey("Cookie"), "the client's Cookie header reached the upstream");
        Assert.Equal(AdversarialGatewayFixture.UpstreamApiKey, headers["X-Api-Key"]);
    }

    /// <summary>
    /// Trace context is client-controlled too: tracestate and baggage carry arbitrary text, and ASP.NET Core
    /// adopts an incoming traceparent, so an HTTP client that propagates would forward all three.
    /// </summary>
    [Fact]
    public async Task ToolsCall_WithTraceContext_UpstreamGetsNoTraceHeaders()
    {
        var before = fixture.Upstream.RequestHeaders.Count;

        var reply = await PostEchoAsync(
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            ("tracestate", "client=chosen"),
            ("baggage", "userId=alice,note=from-client"),
            ("Request-Id", "|client.1"),
            ("Correlation-Context", "note=from-client"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(before + 1, fixture.Upstream.RequestHeaders.Count);
        var headers = fixture.Upstream.RequestHeaders.Last();
        foreach (var name in new[] { "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context" })
        {
            Assert.False(headers.ContainsKey(name), $"{name} reached the upstream: {headers.GetValueOrDefault(name)}");
        }
    }

    /// <summary>
    /// The upstream must read the message the policy judged, not the client's bytes: escapes and
    /// whitespace are where two JSON readers can be made to disagree.
    /// </summary>
    [Fact]
    public async Task ToolsCall_WithEscapesAndWhitespace_UpstreamGetsReserialisedMessage()
    {
        const string body = """
            {
              "jsonrpc" : "2.0" ,
              "id" : 7 ,
              "method" : "tools\/call" ,
              "params" : { "name" : "\u0065cho" , "arguments" : { "message" : "h\u0069" } }
            }
            """;
        var before = fixture.Upstream.RequestBodies.Count;
        var echoes = fixture.Upstream.Calls("echo");

        var reply = await Http.PostAsync(Url, fixture.Token, RawHttp.Json(body));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("Echo: hi", reply.Message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(echoes + 1, fixture.Upstream.Calls("echo"));
        Assert.Equal(before + 1, fixture.Upstream.RequestBodies.Count);
        Assert.Equal(
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""",
            fixture.Upstream.RequestBodies.Last());
    }
}

namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// Trust nothing the upstream sends back (issue 16): a foreign id, an error page, a stream that breaks, stalls
/// or ends empty each reach the client as a JSON-RPC error for its own id (or the empty stream as it came), the
/// decision line says precisely what happened, and the call keeps its quota unless the upstream provably did not
/// run it: each tool allows one call, so the second call is refused by its limit exactly when the first kept it.
/// </summary>
public sealed class UpstreamAnswerTrustTests(MisbehavingUpstreamFixture fixture) : IClassFixture<MisbehavingUpstreamFixture>
{
    /// <summary>An SSE event that cannot be the request's answer: the stream ends in an error event, and none of it is relayed.</summary>
    [Theory]
    [InlineData("foreign_sse", "another id", "999")]
    [InlineData("batch_sse", "a message that is not a JSON-RPC object", "done")]
    public async Task ToolsCall_SseEventThatCannotBeTheRequests_ErrorEventForClientIdAndKeepsQuota(string tool, string detail, string withheld)
    {
        var (first, _) = await CallTwiceAsync(tool, "upstream_invalid");

        AssertErrorEvent(first, detail);
        Assert.DoesNotContain(withheld, first.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("html_500", 500)]
    [InlineData("empty_502", 502)]
    public async Task ToolsCall_UpstreamHttpErrorWithoutJsonRpc_Returns502NamingServerAndKeepsQuota(string tool, int upstreamStatus)
    {
        var (first, decision) = await CallTwiceAsync(tool, "upstream_invalid");

        Assert.Equal(HttpStatusCode.BadGateway, first.Status);
        Assert.Equal("application/json", first.MediaType);
        Assert.Equal(-32000, first.ErrorCode);
        Assert.Equal(1, first.Message.GetProperty("id").GetInt32());
        Assert.Contains($"\"misbehaving\" answered HTTP {upstreamStatus}", first.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", first.Body, StringComparison.Ordinal);
        Assert.Equal(upstreamStatus, GatewayConfig.Int(decision, "upstream_status"));
    }

    [Theory]
    [InlineData("oversize_event")]
    [InlineData("garbage_after_200")]
    [InlineData("drop_after_200")]
    public async Task ToolsCall_SseStreamFailsAfter200_ErrorEventForClientIdAndKeepsQuota(string tool)
    {
        var (first, _) = await CallTwiceAsync(tool, "upstream_invalid");

        AssertErrorEvent(first, "could not read");
    }

    /// <summary>A JSON answer the gateway cannot relay as the request's: none of it reaches the client (the foreign id, the result).</summary>
    [Theory]
    [InlineData("foreign_json", "\"misbehaving\" sent a response with another id", "999")]
    [InlineData("oversize_json", "\"misbehaving\" sent a response the gateway could not read", "xxxxxxxx")]
    [InlineData("duplicate_json", "\"misbehaving\" sent a response the gateway could not read", "done")]
    [InlineData("garbage_json", "\"misbehaving\" sent a response the gateway could not read", "done")] // cut off before its last brace
    public async Task ToolsCall_JsonAnswerThatCannotBeTheRequests_Returns502ForClientIdAndKeepsQuota(string tool, string detail, string withheld)
    {
        var (first, _) = await CallTwiceAsync(tool, "upstream_invalid");

        Assert.Equal(HttpStatusCode.BadGateway, first.Status);
        Assert.Equal(-32000, first.ErrorCode);
        Assert.Equal(1, first.Message.GetProperty("id").GetInt32());
        Assert.Contains(detail, first.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(withheld, first.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duplicate_json")]
    [InlineData("batch_sse")]
    public async Task ToolsList_UnlistedToolBehindADuplicateKeyOrInABatch_NeverReachesTheClient(string id)
    {
        var body = $$"""{"jsonrpc":"2.0","id":"{{id}}","method":"tools/list"}""";

        var reply = await fixture.Http.PostAsync(fixture.Gateway.McpUrl("misbehaving"), fixture.Token, RawHttp.Json(body));

        Assert.DoesNotContain(MisbehavingUpstreamFixture.SecretTool, reply.Body, StringComparison.Ordinal);
        Assert.Equal(-32000, reply.ErrorCode);
        Assert.Equal(id, reply.Message.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ToolsCall_SseAnswerThenUnreadableEvent_AnswerRelayedAndCounted()
    {
        var (first, _) = await CallTwiceAsync("answer_then_garbage", "forwarded");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("done", first.Message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(1, first.Message.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ToolsCall_EmptySseBody_RelayedAsEmptyStreamAndKeepsQuota()
    {
        var (first, _) = await CallTwiceAsync("empty_sse", "upstream_no_answer");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("text/event-stream", first.MediaType);
        Assert.Equal("", first.Body);
    }

    [Fact]
    public async Task ToolsCall_SilentStream_EndedAfterIdleTimeoutWithErrorEventAndLogLine()
    {
        var (first, _) = await CallTwiceAsync("silent_stream", "upstream_idle");

        AssertErrorEvent(first, "sent nothing for 2 s");
        Assert.Contains("id: prime-1", first.Body, StringComparison.Ordinal);
        Assert.Contains(fixture.Gateway.OutputLines(), l => l.Contains("Upstream misbehaving sent nothing on its stream for 2 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToolsCall_UpstreamRefusesCredentials_QuotaGivenBack()
    {
        var first = await CallAsync(1, "refuse_401");
        var second = await CallAsync(2, "refuse_401");

        Assert.Equal(HttpStatusCode.BadGateway, first.Status);
        Assert.Equal(HttpStatusCode.BadGateway, second.Status);
        Assert.Equal(2, fixture.Upstream.Calls("refuse_401"));
        var decisions = await DecisionsAsync("refuse_401", 2);
        Assert.Equal(["upstream_unavailable", "upstream_unavailable"], decisions.Select(d => d.GetProperty("outcome").GetString()));
    }

    /// <summary>
    /// Calls <paramref name="tool"/> twice: the first reaches the fake and ends in <paramref name="outcome"/>; the
    /// second must be refused by the tool's limit of one, never reaching the fake, because the first kept its quota.
    /// </summary>
    private async Task<(RawReply First, JsonElement Decision)> CallTwiceAsync(string tool, string outcome)
    {
        var first = await CallAsync(1, tool);
        var second = await CallAsync(2, tool);

        Assert.Equal("tools." + tool + ".limits[0]", second.PolicyMeta.GetProperty("rule").GetString());
        Assert.Equal(1, fixture.Upstream.Calls(tool));
        var decisions = await DecisionsAsync(tool, 2);
        Assert.Equal([outcome, "rate_limited"], decisions.Select(d => d.GetProperty("outcome").GetString()));
        Assert.Equal("allow", decisions[0].GetProperty("decision").GetString());
        return (first, decisions[0]);
    }

    private static void AssertErrorEvent(RawReply reply, string detail)
    {
        // The 200 went out before the failure: the stream carries the error as its last event, for the client's id.
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/event-stream", reply.MediaType);
        Assert.Equal(1, reply.Message.GetProperty("id").GetInt32());
        Assert.Equal(-32000, reply.ErrorCode);
        Assert.Contains("\"misbehaving\"", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(detail, reply.ErrorMessage, StringComparison.Ordinal);
    }

    private async Task<RawReply> CallAsync(int id, string tool)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var body = $$$$"""{"jsonrpc":"2.0","id":{{{{id}}}},"method":"tools/call","params":{"name":"{{{{tool}}}}","arguments":{}}}""";
        return await fixture.Http.PostAsync(fixture.Gateway.McpUrl("misbehaving"), fixture.Token, RawHttp.Json(body), cancellationToken: deadline.Token);
    }

    private async Task<List<JsonElement>> DecisionsAsync(string tool, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var decisions = fixture.Gateway.Decisions()
                .Where(d => d.GetProperty("tool").GetString() == tool)
                .OrderBy(d => d.GetProperty("time").GetDateTimeOffset())
                .ToList();
            if (decisions.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, decisions.Count);
                return decisions;
            }

            await Task.Delay(20);
        }
    }
}

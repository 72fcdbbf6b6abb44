namespace McpGateway.IntegrationTests.Protocol;

/// <summary>
/// The 2026-07-28 tasks extension (SEP-2663) through the gateway: the server decides which calls become tasks, so a
/// plain tools/call can answer with a flat CreateTaskResult. The task id the client sees must be the gateway's sealed
/// binding to the grant (issue 16), whatever the client asked for, and only that grant reaches the task. The upstream
/// is <see cref="ConformanceUpstream"/>, whose task fixtures run on the C# SDK's extension hooks.
/// </summary>
public sealed class TasksExtensionTests : IAsyncLifetime
{
    private const string Policy = """{"version":"1","default":"allow"}""";
    private const string ClientCapabilities = """{"extensions":{"io.modelcontextprotocol/tasks":{}}}""";
    private static readonly RawHttp Http = new();

    /// <summary>The extension's methods that name a task (tasks/result is gone from 2026-07-28).</summary>
    public static TheoryData<string> TaskMethods => ["tasks/get", "tasks/update", "tasks/cancel"];
    private ConformanceUpstream _upstream = null!;
    private GatewayProcess _gateway = null!;
    private string _alice = "";
    private string _bob = "";
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _upstream = await ConformanceUpstream.StartAsync();
        var config = new GatewayConfig()
            .Server("tasks", _upstream.Url)
            .Policy("open", Policy)
            .Grant("alice", "tasks", "open", out _alice)
            .Grant("bob", "tasks", "open", out _bob);
        _gateway = await GatewayProcess.StartAsync(config.Build());
        _url = _gateway.McpUrl("tasks");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ServerCreatedTask_ClientGetsTheSealedId_AndTheUpstreamGetsItsOwnBack()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":0.2,"label":"sealed"}""");
        var upstreamId = Assert.Single(_upstream.Tasks.Issued);
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;

        Assert.Equal("task", created.GetProperty("result").GetProperty("resultType").GetString());
        Assert.StartsWith("mgt1.", taskId, StringComparison.Ordinal);
        Assert.DoesNotContain(upstreamId, created.GetRawText(), StringComparison.Ordinal);

        // Under SEP-2663 Mcp-Name repeats the task id: the client's names its own id, the upstream's names the upstream's
        // (the SDK upstream answers only a header that names the id in the body).
        var status = await CompletedAsync(taskId);
        Assert.NotEmpty(_upstream.Tasks.Received);
        Assert.All(_upstream.Tasks.Received, r => Assert.Equal(("tasks/get", upstreamId), r));
        var result = status.GetProperty("result");
        Assert.StartsWith("mgt1.", result.GetProperty("taskId").GetString(), StringComparison.Ordinal);
        Assert.Equal("computed sealed", result.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(upstreamId, status.GetRawText(), StringComparison.Ordinal);

        var cancelled = await SendAsync(_alice, "tasks/cancel", taskId, nameHeader: taskId);
        AssertAcknowledged(cancelled);
        Assert.Equal(("tasks/cancel", upstreamId), _upstream.Tasks.Received.Last());
    }

    [Fact]
    public async Task ServerCreatedTask_AnotherGrantOrTheRawId_RefusedAsUnknownBeforeTheUpstream()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;
        var upstreamId = Assert.Single(_upstream.Tasks.Issued);

        var bobs = await SendAsync(_bob, "tasks/get", taskId);
        var raw = await SendAsync(_alice, "tasks/get", upstreamId);
        var cancel = await SendAsync(_bob, "tasks/cancel", taskId);

        Assert.Empty(_upstream.Tasks.Received);
        foreach (var refused in new[] { bobs, raw, cancel })
        {
            Assert.Equal(-32602, refused.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(bobs.GetProperty("error").GetRawText(), refused.GetProperty("error").GetRawText());
        }
    }

    [Fact]
    public async Task TasksUpdate_SealedId_ReachesTheUpstreamWithItsOwnIdInBodyAndHeader()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;
        var upstreamId = Assert.Single(_upstream.Tasks.Issued);

        var ack = await SendAsync(_alice, "tasks/update", taskId, nameHeader: taskId, """{"confirm":{"action":"accept","content":{}}}""");

        AssertAcknowledged(ack);
        Assert.Equal(("tasks/update", upstreamId), Assert.Single(_upstream.Tasks.Received));
    }

    [Fact]
    public async Task TasksUpdate_AnotherGrantOrTheRawId_RefusedAsUnknownBeforeTheUpstream()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;
        var upstreamId = Assert.Single(_upstream.Tasks.Issued);

        var bobs = await SendAsync(_bob, "tasks/update", taskId, inputResponses: "{}");
        var raw = await SendAsync(_alice, "tasks/update", upstreamId, inputResponses: "{}");

        Assert.Empty(_upstream.Tasks.Received);
        Assert.Equal(-32602, bobs.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(bobs.GetProperty("error").GetRawText(), raw.GetProperty("error").GetRawText());
    }

    [Theory]
    [MemberData(nameof(TaskMethods))]
    public async Task TaskMethod_McpNameNotTheBodysTaskId_RefusedWithHeaderMismatch(string method)
    {
        var first = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        var second = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        using var request = TaskRequest(_alice, method, first, nameHeader: second, method == "tasks/update" ? "{}" : null);

        var reply = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32020, reply.ErrorCode);
        Assert.Empty(_upstream.Tasks.Received);
    }

    [Theory]
    [MemberData(nameof(TaskMethods))]
    public async Task TaskMethod_WithoutMcpName_RefusedWithHeaderMismatchBeforeTheUpstream(string method)
    {
        // The extension obliges a client to repeat the id in Mcp-Name; the SDK upstream refuses without it too,
        // but the gateway must not depend on the upstream for a header a router may have relied on.
        var taskId = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        using var request = TaskRequest(_alice, method, taskId, nameHeader: null, method == "tasks/update" ? "{}" : null);

        var reply = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32020, reply.ErrorCode);
        Assert.EndsWith($"Mcp-Name is required for {method} with MCP-Protocol-Version 2026-07-28", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_upstream.Tasks.Received);
    }

    [Fact]
    public async Task TasksResult_WithoutMcpName_NotAHeaderMismatch()
    {
        // 2026-07-28 has no tasks/result, so no header is required for it: the method is unknown (-32601), as the
        // conformance suite expects.
        var taskId = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        using var request = TaskRequest(_alice, "tasks/result", taskId, nameHeader: null, inputResponses: null);

        var reply = await Http.SendAsync(request);

        Assert.NotEqual(-32020, reply.ErrorCode);
        Assert.Equal(-32601, reply.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(TaskMethods))]
    public async Task TaskMethod_RequestWithoutTheExtension_RefusedWithMissingCapabilityBeforeTheUpstream(string method)
    {
        // The id is the client's own, sealed for it: only the undeclared extension refuses the request.
        var taskId = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        using var request = TaskRequest(_alice, method, taskId, nameHeader: taskId, method == "tasks/update" ? "{}" : null, capabilities: """{"elicitation":{}}""");

        var reply = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-32021, reply.ErrorCode);
        Assert.Equal("""{"requiredCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}""", reply.Message.GetProperty("error").GetProperty("data").GetRawText());
        Assert.StartsWith("this method needs the tasks extension", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, reply.Message.GetProperty("id").GetInt32());
        Assert.Empty(_upstream.Tasks.Received);
    }

    [Fact]
    public async Task SyncToolCall_AnsweredUnchanged()
    {
        var answer = await CallAsync(_alice, "greet", """{"name":"World"}""");

        Assert.Equal("Hello, World!", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(answer.GetProperty("result").TryGetProperty("taskId", out _));
        Assert.Empty(_upstream.Tasks.Issued);
    }

    /// <summary>The extension's empty acknowledgement: a complete result that says nothing about the task.</summary>
    private static void AssertAcknowledged(JsonElement answer)
    {
        var result = answer.GetProperty("result");
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
        Assert.DoesNotContain(result.EnumerateObject(), p => p.Name is "taskId" or "status" or "result" or "error" or "inputRequests");
    }

    /// <summary>Polls <c>tasks/get</c> as a client does, until the task completed or a deadline passed.</summary>
    private async Task<JsonElement> CompletedAsync(string taskId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var status = await SendAsync(_alice, "tasks/get", taskId, nameHeader: taskId);
            if (status.GetProperty("result").GetProperty("status").GetString() == "completed" || DateTime.UtcNow > deadline)
            {
                Assert.Equal("completed", status.GetProperty("result").GetProperty("status").GetString());
                return status;
            }

            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> CallAsync(string token, string tool, string arguments)
    {
        using var request = RawToolCall.Request(_url, token, tool, "\"arguments\":" + arguments, ClientCapabilities);
        return await SendRawAsync(request);
    }

    /// <summary>Sends a task method as a conforming client does: <c>Mcp-Name</c> repeats the body's id unless <paramref name="nameHeader"/> says otherwise.</summary>
    private async Task<JsonElement> SendAsync(string token, string method, string taskId, string? nameHeader = null, string? inputResponses = null)
    {
        using var request = TaskRequest(token, method, taskId, nameHeader ?? taskId, inputResponses);
        return await SendRawAsync(request);
    }

    private HttpRequestMessage TaskRequest(string token, string method, string taskId, string? nameHeader, string? inputResponses, string capabilities = ClientCapabilities)
    {
        var members = "\"taskId\":" + JsonSerializer.Serialize(taskId) + (inputResponses is null ? "" : ",\"inputResponses\":" + inputResponses);
        return RawToolCall.Stateless(_url, token, method, members, capabilities, nameHeader);
    }

    private static async Task<JsonElement> SendRawAsync(HttpRequestMessage request)
    {
        var reply = await Http.SendAsync(request);
        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status}: {reply.Body}");
        return reply.Message;
    }
}

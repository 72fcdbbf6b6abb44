namespace McpGateway.IntegrationTests.Protocol;

/// <summary>
/// The 2026-07-28 tasks extension (SEP-2663) through the gateway: the server decides which calls become tasks, so a
/// plain tools/call can answer with a flat CreateTaskResult. The task id the client sees must be the gateway's sealed
/// binding to the grant (issue 16), whatever the client asked for, and only that grant reaches the task.
/// </summary>
public sealed class TasksExtensionTests : IAsyncLifetime
{
    private const string Policy = """{"version":"1","default":"allow"}""";
    private const string ClientCapabilities = """{"extensions":{"io.modelcontextprotocol/tasks":{}}}""";
    private static readonly HttpClient Http = new();
    private TasksExtensionUpstreamFake _upstream = null!;
    private GatewayProcess _gateway = null!;
    private string _alice = "";
    private string _bob = "";
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TasksExtensionUpstreamFake.StartAsync();
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
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var upstreamId = Assert.Single(_upstream.Issued);
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;

        Assert.Equal("task", created.GetProperty("result").GetProperty("resultType").GetString());
        Assert.StartsWith("mgt1.", taskId, StringComparison.Ordinal);
        Assert.DoesNotContain(upstreamId, created.GetRawText(), StringComparison.Ordinal);

        // Under SEP-2663 Mcp-Name repeats the task id: the client's names its own id, the upstream's names the upstream's.
        var status = await SendAsync(_alice, "tasks/get", taskId, nameHeader: taskId);
        Assert.Equal(("tasks/get", upstreamId, (string?)upstreamId), Assert.Single(_upstream.Received));
        var result = status.GetProperty("result");
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.StartsWith("mgt1.", result.GetProperty("taskId").GetString(), StringComparison.Ordinal);
        Assert.Equal("computed", result.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(upstreamId, status.GetRawText(), StringComparison.Ordinal);

        var cancelled = await SendAsync(_alice, "tasks/cancel", taskId);
        Assert.Equal("""{"resultType":"complete"}""", cancelled.GetProperty("result").GetRawText());
        Assert.Equal(("tasks/cancel", upstreamId, (string?)null), _upstream.Received.Last());
    }

    [Fact]
    public async Task ServerCreatedTask_AnotherGrantOrTheRawId_RefusedAsUnknownBeforeTheUpstream()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;
        var upstreamId = Assert.Single(_upstream.Issued);

        var bobs = await SendAsync(_bob, "tasks/get", taskId);
        var raw = await SendAsync(_alice, "tasks/get", upstreamId);
        var cancel = await SendAsync(_bob, "tasks/cancel", taskId);

        Assert.Empty(_upstream.Received);
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
        var upstreamId = Assert.Single(_upstream.Issued);

        var ack = await SendAsync(_alice, "tasks/update", taskId, nameHeader: taskId, """{"confirm":{"action":"accept","content":{}}}""");

        Assert.Equal("""{"resultType":"complete"}""", ack.GetProperty("result").GetRawText());
        Assert.Equal(("tasks/update", upstreamId, (string?)upstreamId), Assert.Single(_upstream.Received));
    }

    [Fact]
    public async Task TasksUpdate_AnotherGrantOrTheRawId_RefusedAsUnknownBeforeTheUpstream()
    {
        var created = await CallAsync(_alice, "slow_compute", """{"seconds":1}""");
        var taskId = created.GetProperty("result").GetProperty("taskId").GetString()!;
        var upstreamId = Assert.Single(_upstream.Issued);

        var bobs = await SendAsync(_bob, "tasks/update", taskId, inputResponses: "{}");
        var raw = await SendAsync(_alice, "tasks/update", upstreamId, inputResponses: "{}");

        Assert.Empty(_upstream.Received);
        Assert.Equal(-32602, bobs.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(bobs.GetProperty("error").GetRawText(), raw.GetProperty("error").GetRawText());
    }

    [Theory]
    [InlineData("tasks/get")]
    [InlineData("tasks/update")]
    [InlineData("tasks/cancel")]
    public async Task TaskMethod_McpNameNotTheBodysTaskId_RefusedWithHeaderMismatch(string method)
    {
        var first = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        var second = (await CallAsync(_alice, "slow_compute", """{"seconds":1}""")).GetProperty("result").GetProperty("taskId").GetString()!;
        using var request = TaskRequest(_alice, method, first, nameHeader: second, method == "tasks/update" ? "{}" : null);

        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32020, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task SyncToolCall_AnsweredUnchanged()
    {
        var answer = await CallAsync(_alice, "greet", """{"name":"World"}""");

        Assert.Equal("Hello, World!", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(answer.GetProperty("result").TryGetProperty("taskId", out _));
        Assert.Empty(_upstream.Issued);
    }

    private async Task<JsonElement> CallAsync(string token, string tool, string arguments)
    {
        using var request = RawToolCall.Request(_url, token, tool, "\"arguments\":" + arguments, ClientCapabilities);
        return await SendRawAsync(request);
    }

    private async Task<JsonElement> SendAsync(string token, string method, string taskId, string? nameHeader = null, string? inputResponses = null)
    {
        using var request = TaskRequest(token, method, taskId, nameHeader, inputResponses);
        return await SendRawAsync(request);
    }

    private HttpRequestMessage TaskRequest(string token, string method, string taskId, string? nameHeader, string? inputResponses)
    {
        var members = "\"taskId\":" + JsonSerializer.Serialize(taskId) + (inputResponses is null ? "" : ",\"inputResponses\":" + inputResponses);
        return RawToolCall.Stateless(_url, token, method, members, ClientCapabilities, nameHeader);
    }

    private static async Task<JsonElement> SendRawAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}

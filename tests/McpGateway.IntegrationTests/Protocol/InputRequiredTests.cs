namespace McpGateway.IntegrationTests.Protocol;

/// <summary>
/// Multi-round-trip calls (MCP 2026-07-28 <c>input_required</c>, issue 21) through the real gateway in front of a C#
/// SDK tool that asks for input: the client sees the gateway's sealed envelope, never the upstream's state; the retry
/// reaches the upstream with exactly its own state, counts no second time against the tool's limit, and an envelope
/// that was altered, is used by another grant or for other arguments, was used already, or has expired is refused
/// before the upstream.
/// </summary>
public sealed class InputRequiredTests
{
    private const string Policy = """
        {"version":"1","default":"deny","tools":{"needs_input":{"limits":[{"counter":"input","window":31536000,"max":1}]}}}
        """;

    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Retry_WithTheEnvelope_ReachesUpstreamWithItsOwnStateAndCountsOnce()
    {
        await using var setup = await Setup.StartAsync();

        var (status, first) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var result = first.GetProperty("result");
        Assert.Equal("input_required", result.GetProperty("resultType").GetString());
        Assert.True(result.GetProperty("inputRequests").TryGetProperty("confirm", out _), first.GetRawText());
        var envelope = result.GetProperty("requestState").GetString()!;
        Assert.StartsWith("mgr1.", envelope, StringComparison.Ordinal);
        Assert.DoesNotContain(InputRequiredTool.UpstreamState, first.GetRawText(), StringComparison.Ordinal);

        var (retryStatus, retry) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}""");

        Assert.Equal(HttpStatusCode.OK, retryStatus);
        Assert.Equal($"state={InputRequiredTool.UpstreamState}; answered=confirm", retry.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("(none)|" + InputRequiredTool.UpstreamState, string.Join("|", setup.Tool.SeenStates.Select(s => s ?? "(none)")));

        // The envelope opens once: replayed, it would run the call again uncounted and unapproved.
        var (replayStatus, replay) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal(-32602, replay.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("requestState was already used: start the call again", replay.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, setup.Tool.SeenStates.Count);

        // The limit of one call a year was spent by the first round only: a new call is the second.
        var (_, again) = await CallAsync(setup.Url, setup.Token, """{"target":"b"}""");
        Assert.Contains("rate limit \"input\" reached", again.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, setup.Tool.SeenStates.Count);
    }

    [Fact]
    public async Task Retry_WithAnAlteredOrMisusedEnvelope_IsRefusedBeforeTheUpstream()
    {
        await using var setup = await Setup.StartAsync();
        var (_, first) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""");
        var envelope = first.GetProperty("result").GetProperty("requestState").GetString()!;
        var tampered = envelope[..^2] + (envelope[^2] == 'A' ? "B" : "A") + envelope[^1];

        var refusals = new[]
        {
            await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", tampered, """{"confirm":{"action":"accept","content":{}}}"""),
            await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", InputRequiredTool.UpstreamState, """{"confirm":{"action":"accept","content":{}}}"""),
            await CallAsync(setup.Url, setup.Token, """{"target":"other"}""", envelope, """{"confirm":{"action":"accept","content":{}}}"""),
            await CallAsync(setup.Url, setup.OtherToken, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}"""),
        };

        foreach (var (status, answer) in refusals)
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(-32602, answer.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Contains("requestState was not issued by this gateway for this call", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, answer.GetProperty("id").GetInt32());
        }

        Assert.Single(setup.Tool.SeenStates);
    }

    [Fact]
    public async Task Retry_UpstreamStateOfHundredKilobytes_OpensAndReachesTheUpstream()
    {
        // The envelope grows with the upstream's state; one the gateway issues must be one it opens.
        var state = new string('s', 100 * 1024);
        await using var setup = await Setup.StartAsync(upstreamState: state);
        var (_, first) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""");
        var envelope = first.GetProperty("result").GetProperty("requestState").GetString()!;

        var (status, retry) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}""");

        Assert.True(status == HttpStatusCode.OK, retry.GetRawText());
        Assert.Equal(state, setup.Tool.SeenStates.Last());
    }

    [Fact]
    public async Task Retry_CounterStoreUnreachable_RefusedWith503BeforeTheUpstream()
    {
        // No limit on the tool, so the first round never asks the store; the retry's one use must be recorded there.
        await using var setup = await Setup.StartAsync(policy: """{"version":"1","default":"deny","tools":{"needs_input":{}}}""", settings: new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = $"http://127.0.0.1:{Loopback.FreePort()}",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "unreachable",
            ["AWS_SECRET_ACCESS_KEY"] = "unreachable",
            ["Gateway__Counters__Table"] = "counters",
            ["Gateway__Counters__TimeoutMilliseconds"] = "2000",
        });
        var (_, first) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""");
        var envelope = first.GetProperty("result").GetProperty("requestState").GetString()!;

        var (status, answer) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(-32000, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("could not record this requestState's use", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(setup.Tool.SeenStates);
    }

    [Fact]
    public async Task Retry_AfterTheEnvelopeExpired_IsRefusedAsExpired()
    {
        await using var setup = await Setup.StartAsync(maxAgeSeconds: 1);
        var (_, first) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""");
        var envelope = first.GetProperty("result").GetProperty("requestState").GetString()!;

        // Whole seconds of the gateway's clock: poll until the envelope's second has passed, with a deadline. A retry
        // inside its lifetime uses it, and the polls after that are told it was used, until expiry is judged first.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonElement answer;
        do
        {
            await Task.Delay(250);
            (_, answer) = await CallAsync(setup.Url, setup.Token, """{"target":"a"}""", envelope, """{"confirm":{"action":"accept","content":{}}}""");
        }
        while (!(answer.TryGetProperty("error", out var error) && error.GetProperty("message").GetString()!.Contains("expired", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

        Assert.Contains("requestState expired", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Message)> CallAsync(Uri url, string token, string arguments, string? requestState = null, string? inputResponses = null)
    {
        var extra = (requestState is null ? "" : ",\"requestState\":" + JsonSerializer.Serialize(requestState)) +
                    (inputResponses is null ? "" : ",\"inputResponses\":" + inputResponses);
        using var request = RawToolCall.Request(url, token, "needs_input", "\"arguments\":" + arguments + extra, """{"elicitation":{}}""");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = body.StartsWith('{') ? body : body.Split('\n').Last(l => l.StartsWith("data: {", StringComparison.Ordinal))[6..];
        using var document = JsonDocument.Parse(json);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private sealed class Setup : IAsyncDisposable
    {
        private SdkUpstream _upstream = null!;
        private GatewayProcess _gateway = null!;

        public InputRequiredTool Tool { get; private init; } = new();

        public Uri Url => _gateway.McpUrl("asking");

        public string Token { get; private set; } = "";

        public string OtherToken { get; private set; } = "";

        public static async Task<Setup> StartAsync(int? maxAgeSeconds = null, string policy = Policy, IDictionary<string, string?>? settings = null, string upstreamState = InputRequiredTool.UpstreamState)
        {
            var setup = new Setup { Tool = new InputRequiredTool(upstreamState) };
            setup._upstream = await SdkUpstream.StartAsync(jsonResponses: true);
            setup._upstream.AddTool(setup.Tool);
            var config = new GatewayConfig()
                .Server("asking", setup._upstream.Url)
                .Policy("limited", policy)
                .Grant("agent", "asking", "limited", out var token)
                .Grant("other-agent", "asking", "limited", out var other);
            (setup.Token, setup.OtherToken) = (token, other);
            var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
            if (maxAgeSeconds is { } seconds)
            {
                environment["Gateway__InputRequiredMaxAgeSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            setup._gateway = await GatewayProcess.StartAsync(config.Build(), environment);
            return setup;
        }

        public async ValueTask DisposeAsync()
        {
            await _gateway.DisposeAsync();
            await _upstream.DisposeAsync();
        }
    }
}

using Amazon.Runtime;
using McpGateway.Aws;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;

namespace McpGateway.IntegrationTests.Aws;

/// <summary>
/// SigV4-signed upstreams (issue 13) through the real gateway process: the upstream is the C# SDK server
/// behind <see cref="SigV4VerifyingProxy"/>, which recomputes every signature with botocore and refuses a
/// mismatch with 403, as the AWS-hosted MCP servers do.
/// </summary>
public sealed class SignedUpstreamTests
{
    private const string AccessKey = "AKIDMCPGATEWAYTEST";
    private const string SecretKey = "gateway/test/secret/key/0123456789abcdefgh";
    private const string Service = "ecs-mcp";
    private const string Region = "us-west-2";
    private const string Policy = """{"version":"1","default":"deny","tools":{"echo":{},"add":{}}}""";

    private static readonly Dictionary<string, string> Keys = new() { [AccessKey] = SecretKey };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignedUpstream_CSharpClient_ListsAndCallsToolsVerifiedByBotocore(bool jsonResponses)
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses);
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        await using var gateway = await StartGatewayAsync(proxy.Url, GatewayIdentity(SecretKey));
        await using (var client = await gateway.ConnectAsync("ecs"))
        {
            var tools = await client.ListToolsAsync();
            Assert.Equal(["add", "echo"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "signed" });
            Assert.Equal("Echo: signed", CSharpClient.Text(result));
        }

        Assert.Equal(1, upstream.Calls("echo"));
        await proxy.WaitForVerdictsAsync(upstream.RequestBodies.Count);
        Assert.Empty(proxy.Refused());
        var verified = proxy.Verified();
        Assert.True(verified.Count >= 2, "tools/list and tools/call both pass the verifier");
        Assert.All(verified, v => Assert.Equal(AccessKey, v.GetProperty("accessKey").GetString()));
        AssertGrantTokenNeverArrived(upstream, gateway.Token);
    }

    [Fact]
    public async Task SignedStatefulUpstream_SessionGetStreamAndDelete_EachVerifiedByBotocore()
    {
        // server-everything keeps sessions: initialize, the GET stream and the DELETE that ends the session are
        // requests of their own, and each must carry a signature the service accepts.
        await using var upstream = await ServerEverything.StartAsync();
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        var config = new GatewayConfig()
            .Server("ecs", proxy.Url, auth: Auth())
            .Policy("ecs", """{"version":"1","default":"deny","tools":{"echo":{}}}""")
            .Grant("agent", "ecs", "ecs", out var token);
        var environment = GatewayIdentity(SecretKey);
        environment["Gateway__AllowGetStream"] = "true";
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), environment);
        await using (var client = await CSharpClient.ConnectAsync(gateway.McpUrl("ecs"), token))
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stateful" });
            Assert.Equal("Echo: stateful", CSharpClient.Text(result));
            await WaitForVerdictAsync(proxy, "GET");
        }

        await WaitForVerdictAsync(proxy, "DELETE");
        Assert.Empty(proxy.Refused());
        Assert.Superset(new HashSet<string> { "POST", "GET", "DELETE" }, proxy.Verified().Select(v => v.GetProperty("method").GetString()!).ToHashSet());
    }

    /// <summary>Polls the verifier's verdicts, with a deadline, until one for <paramref name="method"/> arrived.</summary>
    private static async Task WaitForVerdictAsync(SigV4VerifyingProxy proxy, string method)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!proxy.Verdicts().Any(v => v.GetProperty("method").GetString() == method))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {method} reached the verifier: {string.Join(", ", proxy.Verdicts().Select(v => v.GetRawText()))}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task SignedUpstream_TypeScriptClient_ListsAndCallsToolsOverSse()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        await using var gateway = await StartGatewayAsync(proxy.Url, GatewayIdentity(SecretKey));
        var run = await TypeScriptClient.RunAsync(gateway.McpUrl("ecs"), gateway.Token, TypeScriptClient.Calls(("echo", new { message = "ts" }), ("add", new { a = 2, b = 3 })));

        Assert.True(run.GetProperty("ok").GetBoolean(), run.ToString());
        Assert.Contains("echo", run.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        var calls = run.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal("Echo: ts", calls[0].GetProperty("text").GetString());
        Assert.Equal("5", calls[1].GetProperty("text").GetString());
        await proxy.WaitForVerdictsAsync(upstream.RequestBodies.Count);
        Assert.Empty(proxy.Refused());
        Assert.Equal(2, upstream.TotalCalls);
        AssertGrantTokenNeverArrived(upstream, gateway.Token);
    }

    [Fact]
    public async Task SignedUpstreamRefusesCredentials_ToolCall_502NamingServerWithoutSecrets()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        const string WrongSecret = "not/the/secret/the/verifier/knows/000000";
        await using var gateway = await StartGatewayAsync(proxy.Url, GatewayIdentity(WrongSecret));
        var (status, _, body) = await RawToolCall.SendAsync(gateway.McpUrl("ecs"), gateway.Token, "echo", """{"message":"x"}""");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        await proxy.WaitForVerdictsAsync(1);
        Assert.Contains("\\u0022ecs\\u0022 refused the gateway\\u0027s credentials (HTTP 403)", body, StringComparison.Ordinal);
        Assert.Equal("signature mismatch", Assert.Single(proxy.Refused()).GetProperty("reason").GetString());
        Assert.Equal(0, upstream.TotalCalls);

        // The refusal came back from the server: the call was sent, so it has an upstream latency.
        var line = Assert.Single(await gateway.WaitForDecisionsAsync(1));
        Assert.Equal(403, line.GetProperty("upstream_status").GetInt32());
        Assert.True(line.GetProperty("upstream_latency_ms").GetDouble() >= 0);
        await gateway.Process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("Upstream ecs rejected the gateway's credentials with HTTP 403"), TimeSpan.FromSeconds(10));
        var output = string.Join('\n', gateway.Process.StandardOutput.Concat(gateway.Process.StandardError));
        Assert.DoesNotContain(WrongSecret, body + output, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessKey, body + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifier_TamperedUnsignedOrLateHeader_RefusedWith403()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var credentials = new BasicAWSCredentials(AccessKey, SecretKey);
        const string Body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"a"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}""";

        async Task<HttpStatusCode> SendAsync(bool sign, Action<HttpRequestMessage>? afterSigning = null)
        {
            using var request = new SigV4Request(HttpMethod.Post, proxy.Url, new SigV4UpstreamAuth(Service, Region, null), "ecs", "agent")
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)),
            };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
            if (sign)
            {
                await UpstreamSigningHandler.SignAsync(request, credentials, null, CancellationToken.None);
            }

            afterSigning?.Invoke(request);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(sign: true));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(sign: false));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(sign: true, r => r.Content = new StringContent(Body.Replace("\"a\"", "\"b\"", StringComparison.Ordinal), Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(sign: true, r => r.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-11-25")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(sign: true, r => r.Headers.TryAddWithoutValidation("X-Added-Later", "1")));

        Assert.Equal(1, upstream.Calls("echo"));
        await proxy.WaitForVerdictsAsync(5);
        Assert.Equal(
            ["no SigV4 Authorization header", "body does not match its signed hash", "signature mismatch", "headers sent but not signed: x-added-later"],
            proxy.Refused().Select(r => r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task RoleArn_ThroughGateway_SignsWithEachGrantsAssumedSessionReused()
    {
        await using var moto = await MotoServer.StartAsync(recording: true);
        await moto.StartRecordingAsync();
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, new Dictionary<string, string>(), moto.Endpoint);
        const string Role = "arn:aws:iam::123456789012:role/mcp-ecs-agents";
        var config = new GatewayConfig()
            .Server("ecs", proxy.Url, auth: Auth(Role))
            .Policy("ecs", Policy)
            .Grant("agent-a", "ecs", "ecs", out var tokenA)
            .Grant("agent-b", "ecs", "ecs", out var tokenB);
        var environment = MotoServer.Environment(moto.Port);
        environment["AWS_ENDPOINT_URL_STS"] = moto.Endpoint.ToString();
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), environment);

        for (var i = 0; i < 3; i++)
        {
            var (status, isError, body) = await RawToolCall.SendAsync(gateway.McpUrl("ecs"), tokenA, "echo", """{"message":"a"}""");
            Assert.True(status == HttpStatusCode.OK && !isError, body);
        }

        var sessions = await moto.AssumedRolesAsync();
        var session = Assert.Single(sessions);
        Assert.Equal(Role, session.GetProperty("role_arn").GetString());
        Assert.Equal("agent-a", session.GetProperty("session_name").GetString());

        var (statusB, isErrorB, bodyB) = await RawToolCall.SendAsync(gateway.McpUrl("ecs"), tokenB, "echo", """{"message":"b"}""");
        Assert.True(statusB == HttpStatusCode.OK && !isErrorB, bodyB);

        sessions = await moto.AssumedRolesAsync();
        Assert.Equal(["agent-a", "agent-b"], sessions.Select(s => s.GetProperty("session_name").GetString()));
        await proxy.WaitForVerdictsAsync(4);
        Assert.Empty(proxy.Refused());
        var verified = proxy.Verified();
        Assert.Equal(4, verified.Count);
        Assert.All(verified, v => Assert.True(v.GetProperty("sessionToken").GetBoolean()));
        Assert.Equal(
            [.. Enumerable.Repeat(sessions[0].GetProperty("access_key_id").GetString(), 3), sessions[1].GetProperty("access_key_id").GetString()],
            verified.Select(v => v.GetProperty("accessKey").GetString()));
        Assert.Equal(4, upstream.Calls("echo"));

        // On the wire (moto's own recording of what STS received): the grant is the session name and the session tag.
        var assumed = (await moto.RecordedRequestsAsync()).Where(b => b.Contains("Action=AssumeRole", StringComparison.Ordinal)).ToList();
        var names = new List<string>();
        foreach (var body in assumed)
        {
            // Every attempt, a retry of one the SDK saw fail included, carries the grant as name and tag.
            var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));
            Assert.Equal("mcpgw-grant", form["Tags.member.1.Key"]);
            Assert.Equal(form["RoleSessionName"], form["Tags.member.1.Value"]);
            names.Add(form["RoleSessionName"]);
        }

        Assert.Equal(["agent-a", "agent-b"], names.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RoleArn_StsUnreachable_502AsASigningFailureAndTheQuotaGivenBack()
    {
        // One call a minute: had the first failure kept its reservation, the second would be a rate-limit denial.
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("ecs", upstream.Url, auth: Auth("arn:aws:iam::123456789012:role/mcp-ecs-agents"))
            .Policy("ecs", """{"version":"1","default":"deny","tools":{"echo":{"limits":[{"counter":"c","window":"minute","max":1}]}}}""")
            .Grant("agent", "ecs", "ecs", out var token);
        var environment = GatewayIdentity(SecretKey);
        environment["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{Loopback.FreePort()}";
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), environment);

        for (var i = 0; i < 2; i++)
        {
            var (status, _, body) = await RawToolCall.SendAsync(gateway.McpUrl("ecs"), token, "echo", """{"message":"x"}""");
            Assert.True(status == HttpStatusCode.BadGateway, $"{(int)status}: {body}");
            Assert.Contains("could not sign the request", body, StringComparison.Ordinal);
        }

        await gateway.Process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("Request to upstream ecs could not be signed"), TimeSpan.FromSeconds(10));
        Assert.Equal(["upstream_unavailable", "upstream_unavailable"], (await gateway.WaitForDecisionsAsync(2)).Select(d => d.GetProperty("outcome").GetString()));
        Assert.Equal(0, upstream.TotalCalls);
    }

    [Fact]
    public async Task RoleArn_StsUnreachable_DecisionLineAndEmfCarryNoUpstreamLatency()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("ecs", upstream.Url, auth: Auth("arn:aws:iam::123456789012:role/mcp-ecs-agents"))
            .Policy("ecs", Policy)
            .Grant("agent", "ecs", "ecs", out var token);
        var environment = GatewayIdentity(SecretKey);
        environment["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{Loopback.FreePort()}";
        environment["Gateway__Metrics__Emf"] = "true";
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), environment);

        var (status, _, body) = await RawToolCall.SendAsync(gateway.McpUrl("ecs"), token, "echo", """{"message":"x"}""");

        Assert.True(status == HttpStatusCode.BadGateway && body.Contains("could not sign the request", StringComparison.Ordinal), $"{(int)status}: {body}");
        var line = Assert.Single(await gateway.WaitForDecisionsAsync(1));
        Assert.Equal("upstream_unavailable", line.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("upstream_latency_ms").ValueKind);
        Assert.False(line.TryGetProperty("UpstreamLatency", out _));
        var declared = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString());
        Assert.DoesNotContain("UpstreamLatency", declared);
        Assert.Equal(0, upstream.TotalCalls);
    }

    [Fact]
    public async Task AssumedRoleCache_NearExpiry_AssumesAgainOnlyThen()
    {
        await using var moto = await MotoServer.StartAsync();
        using var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
            new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new AssumedRoleCache(() => sts, clock);
        const string Role = "arn:aws:iam::123456789012:role/mcp-ecs-agents";

        var first = await cache.GetAsync(Role, "agent", "ecs", CancellationToken.None);
        Assert.Same(first, await cache.GetAsync(Role, "agent", "ecs", CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Same(first, await cache.GetAsync(Role, "agent", "ecs", CancellationToken.None));
        Assert.Single(await moto.AssumedRolesAsync());

        // moto issues one-hour sessions: 56 minutes in is within the renewal margin.
        clock.Advance(TimeSpan.FromMinutes(6));
        var renewed = await cache.GetAsync(Role, "agent", "ecs", CancellationToken.None);
        var sessions = await moto.AssumedRolesAsync();
        Assert.Equal(2, sessions.Count);
        var keys = await renewed.GetCredentialsAsync();
        Assert.Equal(sessions[1].GetProperty("access_key_id").GetString(), keys.AccessKey);
        Assert.Equal(sessions[1].GetProperty("session_token").GetString(), keys.Token);
        Assert.NotEqual((await first.GetCredentialsAsync()).AccessKey, keys.AccessKey);
    }

    private static JsonObject Auth(string? roleArn = null)
    {
        var auth = new JsonObject { ["type"] = "aws_sigv4", ["service"] = Service, ["region"] = Region };
        if (roleArn is not null)
        {
            auth["role_arn"] = roleArn;
        }

        return auth;
    }

    [Fact]
    public async Task ScanAndPin_SignedServer_SignedAsTheGatewaySignsAndAWrongKeyIsRefused()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var proxy = await SigV4VerifyingProxy.StartAsync(upstream.Url, Service, Region, Keys);
        var config = new GatewayConfig().Server("ecs", proxy.Url, auth: Auth()).Build();
        var path = Path.Combine(Path.GetTempPath(), "mcpgw-scan-signed-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        try
        {
            var scan = await McpGateway.IntegrationTests.Cli.CliProcess.RunAsync(GatewayIdentity(SecretKey), "scan", "--server", "ecs", "--config", path, "--format", "json");
            Assert.True(scan.Exit == 0, scan.ToString());
            using (var report = JsonDocument.Parse(scan.Output))
            {
                Assert.Contains("echo", report.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
            }

            var pin = await McpGateway.IntegrationTests.Cli.CliProcess.RunAsync(GatewayIdentity(SecretKey), "tools", "pin", "--server", "ecs", "--config", path);
            Assert.True(pin.Exit == 0, pin.ToString());
            Assert.Contains("\"tool_pins\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);

            await proxy.WaitForVerdictsAsync(upstream.RequestBodies.Count);
            Assert.Empty(proxy.Refused());
            Assert.NotEmpty(proxy.Verified());

            var wrong = await McpGateway.IntegrationTests.Cli.CliProcess.RunAsync(GatewayIdentity("not-the-secret"), "scan", "--server", "ecs", "--config", path);
            Assert.Equal(69, wrong.Exit);
            Assert.Contains("refused the request with HTTP 403", wrong.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Dictionary<string, string?> GatewayIdentity(string secret) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secret,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_REGION"] = Region,
    };

    private static async Task<GrantedGateway> StartGatewayAsync(Uri upstream, Dictionary<string, string?> environment)
    {
        var config = new GatewayConfig()
            .Server("ecs", upstream, auth: Auth())
            .Policy("ecs", Policy)
            .Grant("agent", "ecs", "ecs", out var token);
        return new(await GatewayProcess.StartAsync(config.Build(), environment), token);
    }

    private static void AssertGrantTokenNeverArrived(SdkUpstream upstream, string token)
    {
        Assert.NotEmpty(upstream.RequestHeaders);
        Assert.All(upstream.RequestHeaders, headers =>
        {
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=", headers["Authorization"], StringComparison.Ordinal);
            Assert.DoesNotContain(headers.Values, v => v.Contains(token, StringComparison.Ordinal));
        });
        Assert.DoesNotContain(upstream.RequestBodies, b => b.Contains(token, StringComparison.Ordinal));
    }
}

using System.Text.RegularExpressions;
using McpGateway.Configuration;

namespace McpGateway.IntegrationTests.Configuration;

/// <summary>
/// The gateway configured from SSM Parameter Store (moto_server), changed with the real aws CLI while it
/// runs (issue 5). The refresh interval is 1 s here; every wait polls with a deadline.
/// </summary>
public sealed class ParameterStoreSourceTests : IAsyncLifetime
{
    private const string Token = "mcpgw_parameter-store-test-token-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private MotoServer _moto = null!;
    private SdkUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _upstream = await SdkUpstream.StartAsync(jsonResponses: true);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _moto.DisposeAsync();
    }

    [Fact]
    public async Task PolicyChangedWithAwsCli_NextCallsFollowIt_WithoutRestart()
    {
        var prefix = await SeedAsync(EchoPolicy("deny"));
        await using var gateway = await StartAsync(prefix, _moto.Port);
        var url = gateway.McpUrl("upstream");

        var denied = await RawToolCall.UntilAsync(url, Token, "echo", r => r.Status == HttpStatusCode.OK, Deadline);
        Assert.True(denied.IsError);

        await _moto.PutAsync(prefix + "/policies/main", EchoPolicy("allow"));
        var allowed = await UntilEchoAsync(url, allowed: true);
        Assert.Contains("Echo: poll", allowed.Body, StringComparison.Ordinal);

        await _moto.PutAsync(prefix + "/policies/main", EchoPolicy("deny"));
        await UntilEchoAsync(url, allowed: false);

        // Each decision names the parameter version that decided it. The last call's line reaches this process after
        // its answer did, so the versions are read until version 3's line is in, with a deadline.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string?[] versions = [];
        while (!versions.Contains(prefix + "/policies/main:3") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            versions = [.. gateway.Decisions().Select(d => d.GetProperty("policy_version").GetString()).Distinct()];
        }
        Assert.Contains(prefix + "/policies/main:1", versions);
        Assert.Contains(prefix + "/policies/main:2", versions);
        Assert.Contains(prefix + "/policies/main:3", versions);
    }

    [Fact]
    public async Task InvalidPolicyVersion_LastGoodStaysInForce_AndIsLogged()
    {
        var prefix = await SeedAsync(EchoPolicy("allow"));
        await using var gateway = await StartEchoingAsync(prefix);
        var url = gateway.McpUrl("upstream");

        await _moto.PutAsync(prefix + "/policies/main", """{"version":"1","default":"deny","tools":{"echo":{"action":"sometimes"}}}""");
        var logged = await gateway.Process.WaitForLineAsync(
            new Regex(Regex.Escape(prefix + "/policies/main") + " version 2 rejected.*tools\\.echo\\.action"),
            Deadline);

        var afterRejection = await RawToolCall.SendAsync(url, Token, "echo", """{"message":"still"}""");
        Assert.True(logged.Success);
        Assert.Equal(HttpStatusCode.OK, afterRejection.Status);
        Assert.False(afterRejection.IsError, afterRejection.Body);
    }

    [Fact]
    public async Task GrantParameterDeleted_GrantStopsWorkingAfterOneInterval()
    {
        var prefix = await SeedAsync(EchoPolicy("allow"));
        await using var gateway = await StartEchoingAsync(prefix);
        var url = gateway.McpUrl("upstream");

        var (exit, output) = await _moto.AwsAsync("ssm", "delete-parameter", "--name", prefix + "/grants/agent");
        Assert.True(exit == 0, output);

        await RawToolCall.UntilAsync(url, Token, "echo", r => r.Status == HttpStatusCode.Unauthorized, Deadline);
    }

    [Fact]
    public async Task SsmUnreachableAtStart_FailsClosedThenRecovers()
    {
        var port = Loopback.FreePort();
        await using var gateway = await StartAsync("/recover", port);
        var url = gateway.McpUrl("upstream");

        var refused = await RawToolCall.SendAsync(url, Token, "echo");
        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri(gateway.BaseUrl, "/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Contains("no valid configuration", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, _upstream.TotalCalls);

        await using var late = await MotoServer.StartAsync(port);
        await SeedAsync(EchoPolicy("allow"), late, "/recover");
        await UntilEchoAsync(url, allowed: true);
    }

    /// <summary>The <c>policy_mode</c> audit line on a live change (issue 17).</summary>
    [Fact]
    public async Task RuleSwitchedToShadowAndBack_OneAuditLineEach_NamingPolicyVersionAndRules()
    {
        var prefix = await SeedAsync(ModePolicy("enforce"));
        await using var gateway = await StartAsync(prefix, _moto.Port);
        var url = gateway.McpUrl("upstream");
        await UntilEchoAsync(url, allowed: false);

        await _moto.PutAsync(prefix + "/policies/main", ModePolicy("shadow"));
        var line = await gateway.Process.WaitForLineAsync(new Regex("^\\{\"type\":\"policy_mode\".*\"policy_version\":\"" + Regex.Escape(prefix) + "/policies/main:2\".*$"), Deadline);
        await UntilEchoAsync(url, allowed: true);
        await _moto.PutAsync(prefix + "/policies/main", ModePolicy("enforce"));
        var back = await gateway.Process.WaitForLineAsync(new Regex("^\\{\"type\":\"policy_mode\".*main:3\".*$"), Deadline);

        using var first = JsonDocument.Parse(line.Value);
        Assert.Equal("main", first.RootElement.GetProperty("policy").GetString());
        Assert.Equal(prefix + "/policies/main:1", first.RootElement.GetProperty("previous_version").GetString());
        var rules = first.RootElement.GetProperty("rules").EnumerateArray().Select(r => $"{r.GetProperty("rule").GetString()} {r.GetProperty("from").GetString()}->{r.GetProperty("to").GetString()}");
        Assert.Equal(["tools.echo enforce->shadow", "tools.echo.limits[0] enforce->shadow"], rules);
        Assert.Contains("\"rule\":\"tools.echo\",\"from\":\"shadow\",\"to\":\"enforce\"", back.Value, StringComparison.Ordinal);

        // Versions that changed no mode (the first load) wrote none.
        Assert.Equal(2, gateway.Process.StandardOutput.Count(l => l.StartsWith("{\"type\":\"policy_mode\"", StringComparison.Ordinal)));
    }

    /// <summary>Calls echo until the policy in force allows it (or denies it), within the deadline.</summary>
    private static Task<(HttpStatusCode Status, bool IsError, string Body)> UntilEchoAsync(Uri url, bool allowed) =>
        RawToolCall.UntilAsync(url, Token, "echo", r => r.Status == HttpStatusCode.OK && r.IsError != allowed, Deadline);

    private static string EchoPolicy(string action) =>
        new JsonObject
        {
            ["version"] = "1",
            ["default"] = "deny",
            ["tools"] = new JsonObject { ["echo"] = new JsonObject { ["action"] = action, ["reason"] = $"echo is {action}ed by the current policy" } },
        }.ToJsonString();

    private Task<string> SeedAsync(string policy) => SeedAsync(policy, _moto, "/gw-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<string> SeedAsync(string policy, MotoServer moto, string prefix)
    {
        await moto.PutAsync(prefix + "/servers/upstream", new JsonObject { ["url"] = _upstream.Url.ToString(), ["headers"] = new JsonObject { ["X-Api-Key"] = "kept-secret" } }.ToJsonString(), "SecureString");
        await moto.PutAsync(prefix + "/policies/main", policy);
        await moto.PutAsync(prefix + "/grants/agent", new JsonObject { ["token_sha256"] = TokenHash.Of(Token), ["server"] = "upstream", ["policy"] = "main" }.ToJsonString());
        return prefix;
    }

    /// <summary>The gateway on <paramref name="prefix"/>, once its first load lets echo through.</summary>
    private async Task<GatewayProcess> StartEchoingAsync(string prefix)
    {
        var gateway = await StartAsync(prefix, _moto.Port);
        try
        {
            await UntilEchoAsync(gateway.McpUrl("upstream"), allowed: true);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static Task<GatewayProcess> StartAsync(string prefix, int ssmPort)
    {
        var environment = MotoServer.Environment(ssmPort);
        environment["Gateway__Ssm__RefreshSeconds"] = "1";
        environment["Gateway__Ssm__StartupTimeoutSeconds"] = "2";
        return GatewayProcess.StartWithSsmAsync(prefix, environment);
    }

    private static string ModePolicy(string mode) =>
        "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"echo\":{\"action\":\"deny\",\"mode\":\"" + mode +
        "\",\"limits\":[{\"counter\":\"e\",\"window\":\"minute\",\"max\":5}]},\"add\":{}}}";
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpGateway.Configuration;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Configuration;

/// <summary>The <c>policy_mode</c> audit line on a live Parameter Store change (moto_server, issue 17).</summary>
public sealed class PolicyModeAuditTests : IAsyncLifetime
{
    private const string Token = "mcpgw_policy-mode-audit-test-token-0123456789";
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
    public async Task RuleSwitchedToShadowAndBack_OneAuditLineEach_NamingPolicyVersionAndRules()
    {
        var prefix = "/gw-" + Guid.NewGuid().ToString("N")[..8];
        await _moto.PutAsync(prefix + "/servers/upstream", new JsonObject { ["url"] = _upstream.Url.ToString() }.ToJsonString());
        await _moto.PutAsync(prefix + "/policies/main", Policy("enforce"));
        await _moto.PutAsync(prefix + "/grants/agent", new JsonObject { ["token_sha256"] = TokenHash.Of(Token), ["server"] = "upstream", ["policy"] = "main" }.ToJsonString());
        var environment = MotoServer.Environment(_moto.Port);
        environment["Gateway__Ssm__RefreshSeconds"] = "1";
        await using var gateway = await GatewayProcess.StartWithSsmAsync(prefix, environment);
        var url = gateway.McpUrl("upstream");
        await RawToolCall.UntilAsync(url, Token, "echo", r => r.Status == HttpStatusCode.OK && r.IsError, Deadline);

        await _moto.PutAsync(prefix + "/policies/main", Policy("shadow"));
        var line = await gateway.Process.WaitForLineAsync(new Regex("^\\{\"type\":\"policy_mode\".*\"policy_version\":\"" + Regex.Escape(prefix) + "/policies/main:2\".*$"), Deadline);
        await RawToolCall.UntilAsync(url, Token, "echo", r => r.Status == HttpStatusCode.OK && !r.IsError, Deadline);
        await _moto.PutAsync(prefix + "/policies/main", Policy("enforce"));
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

    private static string Policy(string mode) =>
        "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"echo\":{\"action\":\"deny\",\"mode\":\"" + mode +
        "\",\"limits\":[{\"counter\":\"e\",\"window\":\"minute\",\"max\":5}]},\"add\":{}}}";
}

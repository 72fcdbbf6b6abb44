using System.Net.Http.Headers;
using McpGateway.Configuration;

namespace McpGateway.IntegrationTests.Metrics;

/// <summary>
/// <c>GET /metrics</c> (issue 18): Prometheus text from the OpenTelemetry exporter, only when turned on, and only
/// for an admin credential.
/// </summary>
public sealed class PrometheusEndpointTests
{
    private const string AdminToken = "mcpgw_admin_prometheus-test-credential-0123456789";

    [Fact]
    public async Task Metrics_PrometheusOn_RefusedWithoutAdminCredentialAndCountsCallsForAdmin()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await StartAsync(upstream, new Dictionary<string, string?> { ["Gateway__Metrics__Prometheus"] = "true" });
        await RawToolCall.SendAsync(gateway.McpUrl("upstream"), gateway.Token, "echo", """{"message":"hi"}""");
        await RawToolCall.SendAsync(gateway.McpUrl("upstream"), gateway.Token, "secret", """{"message":"x"}""");
        await gateway.WaitForDecisionsAsync(2);
        using var http = new HttpClient();

        var anonymous = await GetAsync(http, gateway.Gateway, null);
        var withGrant = await GetAsync(http, gateway.Gateway, gateway.Token);
        var withWrongAdmin = await GetAsync(http, gateway.Gateway, AdminToken + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, withGrant.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongAdmin.Status);
        Assert.DoesNotContain("mcpgw_", anonymous.Body + withGrant.Body + withWrongAdmin.Body, StringComparison.Ordinal);

        // The exporter may serve a cached scrape for a moment: poll until both calls show, within a deadline.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var admin = await GetAsync(http, gateway.Gateway, AdminToken);
        while (!admin.Body.Contains("outcome=\"denied\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            admin = await GetAsync(http, gateway.Gateway, AdminToken);
        }

        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.StartsWith("text/plain", admin.Type, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^mcpgw_tool_calls_total\{[^}]*outcome=""forwarded""[^}]*server=""upstream""[^}]*\} 1(\s|$)", admin.Body);
        Assert.Matches(@"(?m)^mcpgw_tool_calls_total\{[^}]*outcome=""denied""[^}]*server=""upstream""[^}]*\} 1(\s|$)", admin.Body);
        Assert.Matches(@"(?m)^mcpgw_tool_call_duration[a-z_]*_count\{[^}]*server=""upstream""[^}]*\} 2(\s|$)", admin.Body);
        Assert.Matches(@"(?m)^mcpgw_upstream_duration[a-z_]*_count\{[^}]*server=""upstream""[^}]*\} 1(\s|$)", admin.Body);
        Assert.DoesNotContain("tool=", admin.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("agent", admin.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ToolDimensionWithMadeUpNames_LabelsThemOther()
    {
        // server-everything answers an unknown tool with a tool result, so these calls are forwarded.
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await StartAsync(upstream.Url, """{"version":"1","default":"allow","tools":{"echo":{}}}""", new Dictionary<string, string?>
        {
            ["Gateway__Metrics__Prometheus"] = "true",
            ["Gateway__Metrics__ToolDimension"] = "true",
        });
        await using (var client = await gateway.ConnectAsync("upstream"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" });
            await client.CallToolAsync("rnd-a1b2", new Dictionary<string, object?>());
            await client.CallToolAsync("rnd-c3d4", new Dictionary<string, object?>());
        }

        await gateway.WaitForDecisionsAsync(3);
        using var http = new HttpClient();

        // The exporter may serve a cached scrape for a moment: poll until the made-up calls show, within a deadline.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var admin = await GetAsync(http, gateway.Gateway, AdminToken);
        while (!admin.Body.Contains("tool=\"other\"", StringComparison.Ordinal) && !admin.Body.Contains("rnd-", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            admin = await GetAsync(http, gateway.Gateway, AdminToken);
        }

        Assert.DoesNotContain("rnd-", admin.Body, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^mcpgw_tool_calls_total\{[^}]*tool=""other""[^}]*\} 2(\s|$)", admin.Body);
        Assert.Matches(@"(?m)^mcpgw_tool_calls_total\{[^}]*tool=""echo""[^}]*\} 1(\s|$)", admin.Body);
    }

    [Fact]
    public async Task Metrics_PrometheusOff_NotServedEvenToAnAdmin()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await StartAsync(upstream, null);
        using var http = new HttpClient();

        var admin = await GetAsync(http, gateway.Gateway, AdminToken);

        Assert.Equal(HttpStatusCode.NotFound, admin.Status);
    }

    private static async Task<GrantedGateway> StartAsync(SdkUpstream upstream, IDictionary<string, string?>? environment) =>
        await StartAsync(upstream.Url, EmfDecisionLineTests.Policy, environment);

    private static async Task<GrantedGateway> StartAsync(Uri upstream, string policy, IDictionary<string, string?>? environment)
    {
        var config = new GatewayConfig()
            .Server("upstream", upstream)
            .Policy("p", policy)
            .Grant("agent", "upstream", "p", out var token)
            .Build();
        config["admins"] = new JsonObject { ["ops"] = new JsonObject { ["token_sha256"] = TokenHash.Of(AdminToken) } };
        return new(await GatewayProcess.StartAsync(config, environment), token);
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Type)> GetAsync(HttpClient http, GatewayProcess gateway, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUrl, "/metrics"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }
}

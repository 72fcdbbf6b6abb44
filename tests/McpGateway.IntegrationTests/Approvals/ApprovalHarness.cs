using System.Net.Http.Headers;
using McpGateway.Configuration;

namespace McpGateway.IntegrationTests.Approvals;

/// <summary>A gateway with an approver and a grant, in front of the counting SDK upstream.</summary>
internal sealed class ApprovalHarness(SdkUpstream upstream, GatewayProcess gateway, string token) : IAsyncDisposable
{
    public const string AdminToken = "mcpgw_admin_test-credential-0123456789abcdef";

    private readonly HttpClient _http = new();

    public SdkUpstream Upstream { get; } = upstream;
    public GatewayProcess Gateway { get; } = gateway;
    public string Token { get; } = token;
    public Uri McpUrl => Gateway.McpUrl("upstream");

    /// <summary>charge needs approval and is limited to <paramref name="chargeLimit"/>; echo is allowed.</summary>
    public static async Task<ApprovalHarness> StartAsync(int chargeLimit = 100, bool includeArguments = false, IDictionary<string, string?>? environment = null)
    {
        var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var policy = new JsonObject
        {
            ["version"] = "1",
            ["default"] = "deny",
            ["tools"] = new JsonObject
            {
                ["echo"] = new JsonObject(),
                ["charge"] = new JsonObject
                {
                    ["action"] = "approve",
                    ["approval"] = new JsonObject { ["timeout"] = "10m", ["include_arguments"] = includeArguments },
                    ["limits"] = new JsonArray(new JsonObject { ["counter"] = "charges", ["window"] = 31536000, ["max"] = chargeLimit }),
                },
            },
        };
        var config = new GatewayConfig()
            .Server("upstream", upstream.Url)
            .Policy("payments", policy.ToJsonString())
            .Grant("agent", "upstream", "payments", out var token)
            .Build();
        config["admins"] = new JsonObject { ["alice"] = new JsonObject { ["token_sha256"] = TokenHash.Of(AdminToken) } };
        var gateway = await GatewayProcess.StartAsync(config, environment);
        return new ApprovalHarness(upstream, gateway, token);
    }

    public Task<(HttpStatusCode Status, bool IsError, string Body)> ChargeAsync(int amount, string? token = null) =>
        RawToolCall.SendAsync(McpUrl, token ?? Token, "charge", $$"""{"amount":{{amount}}}""");

    public Task<(HttpStatusCode Status, bool IsError, string Body)> ChargeAsync(string arguments) =>
        RawToolCall.SendAsync(McpUrl, Token, "charge", arguments);

    /// <summary>A charge that waits for a person: the id of the approval it created.</summary>
    public async Task<string> PendingChargeAsync(int amount) => ApprovalId((await ChargeAsync(amount)).Body);

    /// <inheritdoc cref="PendingChargeAsync(int)"/>
    public async Task<string> PendingChargeAsync(string arguments) => ApprovalId((await ChargeAsync(arguments)).Body);

    /// <summary>The policy details the gateway put in a tool result's <c>_meta</c>.</summary>
    public static JsonNode Policy(string body)
    {
        var json = JsonNode.Parse(body.StartsWith('{') ? body : body.Split('\n').Last(l => l.StartsWith("data: {", StringComparison.Ordinal))[6..])!;
        return json["result"]!["_meta"]!["mcp-gateway/policy"]!;
    }

    public static string ApprovalId(string body) => Policy(body)["approval"]!["id"]!.GetValue<string>();

    public async Task<(HttpStatusCode Status, JsonNode? Body)> AdminAsync(HttpMethod method, string path, string? body = null, string token = AdminToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Gateway.BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> ApproveAsync(string id, string note = "looks fine") =>
        AdminAsync(HttpMethod.Post, $"/admin/approvals/{id}/approve", JsonSerializer.Serialize(new { note }));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

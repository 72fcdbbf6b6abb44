using McpGateway.Approvals;
using McpGateway.IntegrationTests.Approvals;

namespace McpGateway.IntegrationTests.Admin;

/// <summary>
/// The admin API and the approver page while the approval store cannot answer (dynalite without the table the
/// gateway is configured for): every request that needs the store is refused with 503 and a reason the approver can
/// act on, as the calls that need an approval are (fail closed), and the page's answers keep their security headers.
/// </summary>
public sealed class ApprovalStoreOutageTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private const string Unavailable = "the approval store is unavailable, so approvals cannot be listed, shown or decided (fail closed)";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    [Fact]
    public async Task AdminApi_TableMissing_ListShowAndDecideAre503WithTheReasonAndTheAttemptIsAudited()
    {
        await using var harness = await StartWithoutTableAsync();
        var id = ApprovalRules.NewId();

        var list = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals");
        var show = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals/" + id);
        var approve = await harness.ApproveAsync(id);
        var reject = await harness.AdminAsync(HttpMethod.Post, $"/admin/approvals/{id}/reject");

        foreach (var (status, body) in new[] { list, show, approve, reject })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith(Unavailable, body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var audited = harness.Gateway.Process.StandardOutput
            .Where(l => l.StartsWith("{\"type\":\"approval\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!)
            .ToList();
        Assert.Equal(["approve/store_unavailable", "reject/store_unavailable"], audited.Select(a => a["action"]!.GetValue<string>() + "/" + a["outcome"]!.GetValue<string>()));
        Assert.All(audited, a => Assert.Equal("alice", a["admin"]!.GetValue<string>()));
        await harness.Gateway.Process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("Approval store failed: ResourceNotFoundException"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PageApi_TableMissing_List503KeepsThePageSecurityHeaders()
    {
        await using var harness = await StartWithoutTableAsync();
        var origin = harness.Gateway.BaseUrl.GetLeftPart(UriPartial.Authority);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Gateway.BaseUrl, "/admin/ui/api/session"))
        {
            Content = new StringContent(new JsonObject { ["credential"] = ApprovalHarness.AdminToken }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        signIn.Headers.Add("Origin", origin);
        using var signedIn = await Http.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0];

        using var listRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(harness.Gateway.BaseUrl, "/admin/ui/api/approvals"));
        listRequest.Headers.Add("Cookie", cookie);
        using var list = await Http.SendAsync(listRequest);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.Equal("application/json", list.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith(Unavailable, JsonNode.Parse(await list.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(McpGateway.Admin.PageSecurityHeaders.ContentSecurityPolicy, string.Join(",", list.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", string.Join(",", list.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-store", list.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", string.Join(",", list.Headers.GetValues("X-Content-Type-Options")));
    }

    /// <summary>The gateway counts and keeps approvals in a table that was never created.</summary>
    private async Task<ApprovalHarness> StartWithoutTableAsync() =>
        await ApprovalHarness.StartAsync(environment: dynamo.Dynalite.Environment("mcpgw-missing-" + Guid.NewGuid().ToString("N")[..8]));
}

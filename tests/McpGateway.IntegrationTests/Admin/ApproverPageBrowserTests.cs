using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using McpGateway.Admin;
using McpGateway.IntegrationTests.Approvals;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace McpGateway.IntegrationTests.Admin;

/// <summary>
/// The approver page (issue 22) in a real browser, Debian's headless chromium, against the real gateway
/// process: every pending approval here was created by a real tools/call through the gateway.
/// </summary>
public sealed class ApproverPageBrowserTests(HeadlessChromium chromium, ITestOutputHelper output) : IClassFixture<HeadlessChromium>
{
    private const float Wait = 15_000;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task SignInAndApprove_AgentRetryRunsExactlyOnce()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(5);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness, "#" + id);
        var card = page.Locator("#" + id);
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(card.Locator("[data-field=tool]")).ToHaveTextAsync("charge");
        await Assertions.Expect(card.Locator("[data-field=server]")).ToHaveTextAsync("upstream");
        await Assertions.Expect(card.Locator("[data-field=grant]")).ToHaveTextAsync("agent");
        await Assertions.Expect(card.Locator("[data-field=arguments]")).ToHaveTextAsync("amount (values not shown)");
        await Assertions.Expect(card.Locator("[data-field=countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^in 9 min \d\d s$"));
        await MeasureAndScreenshotAsync(page, id);

        await card.Locator("[data-field=note]").FillAsync("invoice 1042");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(card.Locator("[data-field=outcome]")).ToHaveTextAsync(
            "Approved by alice. The agent's identical retry will run once. Note: invoice 1042", new() { Timeout = Wait });
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeDisabledAsync();
        var retry = await harness.ChargeAsync(5);
        var again = await harness.ChargeAsync(5);
        Assert.False(retry.IsError, retry.Body);
        Assert.True(again.IsError);
        Assert.NotEqual(id, ApprovalHarness.ApprovalId(again.Body));
        Assert.Equal(1, harness.Upstream.Calls("charge"));
        Assert.Contains(harness.Gateway.Process.StandardOutput, l => l.Contains("\"type\":\"approval\"", StringComparison.Ordinal) && l.Contains("\"admin\":\"alice\"", StringComparison.Ordinal) && l.Contains("\"note\":\"invoice 1042\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(-60)]
    public async Task PhoneClockOffByAnHour_CountdownAndExpiryFollowTheGatewaysClock(int minutes)
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(6);
        await using var context = await chromium.NewPhoneContextAsync();
        await context.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow.AddMinutes(minutes) });
        var page = await SignedInPageAsync(context, harness, "#" + id);
        var card = page.Locator("#" + id);

        // A fast phone clock would have shown the approval expired at once, a slow one an hour too long.
        await Assertions.Expect(card.Locator("[data-field=countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^in 9 min \d\d s$"), new() { Timeout = Wait });
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(card.Locator("[data-field=outcome]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Approved by alice"), new() { Timeout = Wait });
        Assert.False((await harness.ChargeAsync(6)).IsError);
    }

    [Fact]
    public async Task RejectWithNote_AgentDenialCarriesTheNote()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(9);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness);
        var card = page.Locator("#" + id);
        await card.Locator("[data-field=note]").FillAsync("not this month");
        await card.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(card.Locator("[data-field=outcome]")).ToHaveTextAsync(
            "Rejected by alice. The agent's retry is denied. Note: not this month", new() { Timeout = Wait });

        var retry = await harness.ChargeAsync(9);
        Assert.True(retry.IsError);
        Assert.Contains("rejected by alice: not this month", retry.Body, StringComparison.Ordinal);
        Assert.Equal(0, harness.Upstream.Calls("charge"));
    }

    [Fact]
    public async Task IncludeArguments_CardShowsTheValuesAsText_NeverAsMarkup()
    {
        await using var harness = await ApprovalHarness.StartAsync(includeArguments: true);
        var id = await harness.PendingChargeAsync("""{"amount":12,"memo":"<img src=x id=injected>"}""");
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness, "#" + id);
        var arguments = page.Locator("#" + id).Locator("[data-field=arguments]");

        await Assertions.Expect(arguments).ToHaveTextAsync("amount = 12\nmemo = \"<img src=x id=injected>\"", new() { Timeout = Wait });
        Assert.Equal(0, await page.Locator("#injected").CountAsync());
    }

    [Fact]
    public async Task DecidedElsewhere_PageSaysAlreadyApprovedAndByWhom()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(3);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness);
        var card = page.Locator("#" + id);
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = Wait });

        Assert.Equal(HttpStatusCode.OK, (await harness.ApproveAsync(id, "from the cli")).Status);
        await card.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();

        await Assertions.Expect(card.Locator("[data-field=outcome]")).ToHaveTextAsync("Already approved by alice. Note: from the cli", new() { Timeout = Wait });
        Assert.False((await harness.ChargeAsync(3)).IsError);
    }

    [Fact]
    public async Task WrongCredential_RefusedWithoutACookie()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        await harness.PendingChargeAsync(1);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness, credential: harness.Token);

        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("That is not an admin credential (grant tokens cannot sign in).", new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#approvals")).ToBeHiddenAsync();
        Assert.Empty(await context.CookiesAsync());
        Assert.Equal(0, await page.Locator("li.card").CountAsync());
    }

    [Fact]
    public async Task ExpiredSession_PageAsksToSignInAgain()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(2);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        // The same cookie the gateway would mint, sealed with the test gateway's key: live first, to show
        // the cookie reaches the page's API, then one whose lifetime ended a minute ago.
        await context.AddCookiesAsync([SessionCookie(harness, DateTimeOffset.UtcNow.AddMinutes(5))]);
        await page.GotoAsync(PageUrl(harness));
        await Assertions.Expect(page.Locator("#" + id)).ToBeVisibleAsync(new() { Timeout = Wait });

        await context.ClearCookiesAsync();
        await context.AddCookiesAsync([SessionCookie(harness, DateTimeOffset.UtcNow.AddMinutes(-1))]);
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("The approver session has ended: sign in again.");
        Assert.Equal(0, await page.Locator("li.card").CountAsync());
    }

    [Fact]
    public async Task ForgedCrossSitePost_IsRefusedAndTheApprovalStaysPending()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(7);
        var target = new Uri(harness.Gateway.BaseUrl, $"/admin/ui/api/approvals/{id}/approve");
        await using var attacker = await StaticSite.StartAsync(new Dictionary<string, string>
        {
            // A form post (the classic forgery: no preflight, the browser's cookies would ride along) and a
            // no-cors fetch with credentials, both at the page's own approve route.
            ["/forge"] = $$"""
                <!doctype html><title>win a prize</title>
                <form id="f" method="post" enctype="text/plain" action="{{target}}"><input name='{"note":"' value='forged"}'></form>
                <script>
                  fetch("{{target}}", { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: "{}" })
                    .finally(() => document.getElementById("f").submit());
                </script>
                """,
        });
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await SignedInPageAsync(context, harness);
        await Assertions.Expect(page.Locator("#" + id)).ToBeVisibleAsync(new() { Timeout = Wait });

        var attack = await context.NewPageAsync();
        var posts = new List<IResponse>();
        attack.Response += (_, response) => { if (response.Request.Method == "POST") { posts.Add(response); } };
        var formResult = attack.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Request.ResourceType == "document", new() { Timeout = Wait });
        await attack.GotoAsync(new Uri(attacker.BaseUrl, "/forge").ToString());
        var refused = await formResult;

        Assert.Equal(403, refused.Status);
        Assert.Contains("another site", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.All(posts, p => Assert.Equal(403, p.Status));
        var (_, shown) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals/" + id);
        Assert.Equal("pending", shown!["status"]!.GetValue<string>());
        Assert.True((await harness.ChargeAsync(7)).IsError);
        Assert.Equal(0, harness.Upstream.Calls("charge"));
        Assert.DoesNotContain(harness.Gateway.Process.StandardOutput, l => l.Contains("\"type\":\"approval\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FramedByAnotherSite_BrowserRefusesToRenderThePage()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var pageUrl = PageUrl(harness);
        await using var attacker = await StaticSite.StartAsync(new Dictionary<string, string>
        {
            ["/frame"] = $"""<!doctype html><title>click here</title><iframe id="victim" src="{pageUrl}" width="390" height="600"></iframe>""",
        });
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        var framed = page.WaitForResponseAsync(r => r.Url == pageUrl, new() { Timeout = Wait });

        await page.GotoAsync(new Uri(attacker.BaseUrl, "/frame").ToString(), new() { WaitUntil = WaitUntilState.Load });
        var response = await framed;

        Assert.Equal("DENY", response.Headers["x-frame-options"]);
        Assert.Contains("frame-ancestors 'none'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        var frame = Assert.Single(page.Frames, f => f != page.MainFrame);
        Assert.NotEqual(pageUrl, frame.Url);
        Assert.Equal(0, await page.FrameLocator("#victim").Locator("#sign-in, #approvals").CountAsync());
        Assert.Contains(console, m => m.Contains("frame-ancestors", StringComparison.Ordinal) || m.Contains("X-Frame-Options", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnderAStagePrefix_PageLoadsSignsInAndApproves_CookieScopedToThePagesApi()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        await using var stage = await StagePrefixProxyFake.StartAsync(harness.Gateway.BaseUrl);
        var id = await harness.PendingChargeAsync(4);
        await using var context = await chromium.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(stage.BaseUrl, "admin/ui/").ToString());
        await SignInAsync(page, ApprovalHarness.AdminToken);
        var card = page.Locator("#" + id);
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(card.Locator("[data-field=outcome]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Approved by alice"), new() { Timeout = Wait });
        Assert.Equal(new Uri(stage.BaseUrl, "admin/ui").ToString(), page.Url);
        Assert.Equal("/prod/admin/ui/api", Assert.Single(await context.CookiesAsync()).Path);
        Assert.False((await harness.ChargeAsync(4)).IsError);
    }

    private static string PageUrl(ApprovalHarness harness, string fragment = "") => new Uri(harness.Gateway.BaseUrl, "/admin/ui").ToString() + fragment;

    /// <summary>A new page of <paramref name="context"/> on the approver page, signed in with <paramref name="credential"/> (the admin's by default).</summary>
    private static async Task<IPage> SignedInPageAsync(IBrowserContext context, ApprovalHarness harness, string fragment = "", string credential = ApprovalHarness.AdminToken)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(PageUrl(harness, fragment));
        await SignInAsync(page, credential);
        return page;
    }

    private static async Task SignInAsync(IPage page, string credential)
    {
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync(new() { Timeout = Wait });
        await page.GetByLabel("Admin credential").FillAsync(credential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static Microsoft.Playwright.Cookie SessionCookie(ApprovalHarness harness, DateTimeOffset expiresAt)
    {
        var sealer = new ApproverSessionSealer(Convert.FromBase64String(GatewayProcess.SharedSessionKey));
        var hash = ImmutableArray.Create(SHA256.HashData(Encoding.UTF8.GetBytes(ApprovalHarness.AdminToken)));
        return new Microsoft.Playwright.Cookie
        {
            Name = ApproverPageSessions.CookieName,
            Value = sealer.Seal(new ApproverSession("alice", hash, expiresAt)),
            Domain = harness.Gateway.BaseUrl.Host,
            Path = "/admin/ui/api",
            HttpOnly = true,
            SameSite = SameSiteAttribute.Strict,
        };
    }

    /// <summary>
    /// Reloads the signed-in page as an approver opening the link would, and records what the browser
    /// fetched (bytes of every response) and when the page became usable (its approval list drawn and its
    /// buttons wired), then writes a screenshot and the figures as test artifacts.
    /// </summary>
    private async Task MeasureAndScreenshotAsync(IPage page, string id)
    {
        var sizes = new List<(string Url, int Bytes)>();
        var bodies = new List<Task>();
        page.Response += (_, response) => bodies.Add(Task.Run(async () =>
        {
            var body = await response.BodyAsync();
            lock (sizes)
            {
                sizes.Add((new Uri(response.Url).AbsolutePath, body.Length));
            }
        }));
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.readyMs", null, new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#" + id)).ToBeVisibleAsync();
        await Task.WhenAll(bodies);
        var readyMs = int.Parse(await page.EvaluateAsync<string>("() => document.documentElement.dataset.readyMs"), CultureInfo.InvariantCulture);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "approver-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        var figures = new
        {
            page_bytes = sizes.Where(s => !s.Url.Contains("/api/", StringComparison.Ordinal)).Sum(s => s.Bytes),
            api_bytes = sizes.Where(s => s.Url.Contains("/api/", StringComparison.Ordinal)).Sum(s => s.Bytes),
            responses = sizes.OrderBy(s => s.Url, StringComparer.Ordinal).Select(s => new { url = s.Url, bytes = s.Bytes }),
            time_to_interactive_ms = readyMs,
            browser = page.Context.Browser!.Version,
        };
        var json = JsonSerializer.Serialize(figures, Indented);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "approver-page.json"), json);
        output.WriteLine($"screenshot: {screenshot}");
        output.WriteLine(json);

        Assert.Contains(sizes, s => s.Url == "/admin/ui/approvals.js");
        Assert.True(new FileInfo(screenshot).Length > 0);
    }
}

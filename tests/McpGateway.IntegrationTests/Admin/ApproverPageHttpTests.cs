using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using McpGateway.Admin;
using McpGateway.IntegrationTests.Approvals;

namespace McpGateway.IntegrationTests.Admin;

/// <summary>The approver page's rules for headers, the cookie and CSRF, over plain HTTP to the real gateway process.</summary>
public sealed partial class ApproverPageHttpTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    private ApprovalHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ApprovalHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private string Origin => _harness.Gateway.BaseUrl.GetLeftPart(UriPartial.Authority);

    [Theory]
    [InlineData("/admin/ui", "text/html; charset=utf-8")]
    [InlineData("/admin/ui/approvals.js", "text/javascript; charset=utf-8")]
    [InlineData("/admin/ui/approvals.css", "text/css; charset=utf-8")]
    [InlineData("/admin/ui/api/session", "application/json")]
    public async Task EveryPageResponse_HasStrictCspNoFramingAndNoStore(string path, string contentType)
    {
        using var response = await Http.GetAsync(new Uri(_harness.Gateway.BaseUrl, path));

        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task PageHtml_HasNoInlineScriptStyleOrHandlers_AndOnlyRelativeUrls()
    {
        var html = await Http.GetStringAsync(new Uri(_harness.Gateway.BaseUrl, "/admin/ui"));

        Assert.Equal(["ui/approvals.js"], ScriptTag().Matches(html).Select(m => m.Groups["src"].Value));
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\s(on[a-z]+|style)=", html);
        Assert.DoesNotMatch(@"(src|href)=""(/|https?:)", html);
    }

    [Fact]
    public async Task PageWithTrailingSlash_RedirectsRelativelySoAnyStagePrefixSurvives()
    {
        using var response = await Http.GetAsync(new Uri(_harness.Gateway.BaseUrl, "/admin/ui/"));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("../ui", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_OnLoopback_SetsHttpOnlyStrictCookieWithoutSecureOrPath()
    {
        using var response = await SignInAsync(ApprovalHarness.AdminToken);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^mcpgw_approver=mga1\.[A-Za-z0-9_-]+; Max-Age=1800; HttpOnly; SameSite=Strict$", cookie);
        Assert.Equal("alice", body["admin"]!.GetValue<string>());
        Assert.InRange(body["expires_at"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", body["csrf_token"]!.GetValue<string>());
        Assert.DoesNotContain(_harness.Gateway.Process.StandardError, l => l.Contains(ApprovalHarness.AdminToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_BehindApiGateway_CookieIsSecure()
    {
        using var request = SignInRequest(ApprovalHarness.AdminToken, "https://abc123.execute-api.eu-west-1.amazonaws.com");
        request.Headers.Host = "abc123.execute-api.eu-west-1.amazonaws.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("; HttpOnly; SameSite=Strict; Secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong", HttpStatusCode.Unauthorized, "not an admin credential")]
    [InlineData("grant", HttpStatusCode.Unauthorized, "grant tokens cannot sign in")]
    [InlineData("", HttpStatusCode.BadRequest, "admin credential")]
    public async Task SignIn_WithoutAnAdminCredential_RefusedAndNoCookie(string which, HttpStatusCode status, string message)
    {
        var credential = which switch { "wrong" => "mcpgw_admin_not-a-real-one", "grant" => _harness.Token, _ => "" };
        using var response = await SignInAsync(credential);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("https://evil.example", null, "is not the gateway")]
    [InlineData(null, "cross-site", "another site")]
    [InlineData(null, null, "Origin header")]
    public async Task SignIn_FromAnotherOrigin_Refused(string? origin, string? fetchSite, string message)
    {
        using var request = SignInRequest(ApprovalHarness.AdminToken, origin);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_AsTextPlain_RefusedSoNoFormCanPostIt()
    {
        using var request = SignInRequest(ApprovalHarness.AdminToken, Origin);
        request.Content = new StringContent($$"""{"credential":"{{ApprovalHarness.AdminToken}}"}""", Encoding.UTF8, "text/plain");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Decide_CookieAndCsrfFromOwnOrigin_ApprovesAndEveryMissingPieceIsRefused()
    {
        var id = await _harness.PendingChargeAsync(11);
        var (cookie, csrf) = await SessionAsync();

        using var noCsrf = await PostAsync($"approvals/{id}/approve", cookie, null, Origin);
        // The first character changed whatever it is: a fixed "A" left a token that began with A unchanged.
        using var wrongCsrf = await PostAsync($"approvals/{id}/approve", cookie, (csrf[0] == 'A' ? "B" : "A") + csrf[1..], Origin);
        using var foreignOrigin = await PostAsync($"approvals/{id}/approve", cookie, csrf, "http://localhost:1");
        using var noOrigin = await PostAsync($"approvals/{id}/approve", cookie, csrf, null);
        using var noCookie = await PostAsync($"approvals/{id}/approve", null, csrf, Origin);
        using var otherSessionsCsrf = await PostAsync($"approvals/{id}/approve", cookie, (await SessionAsync()).Csrf, Origin);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        Assert.Contains("X-Mcpgw-Csrf", await noCsrf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCsrf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherSessionsCsrf.StatusCode);
        Assert.Equal("pending", (await _harness.AdminAsync(HttpMethod.Get, "/admin/approvals/" + id)).Body!["status"]!.GetValue<string>());

        using var approved = await PostAsync($"approvals/{id}/approve", cookie, csrf, Origin, """{"note":"via the page"}""");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("alice", JsonNode.Parse(await approved.Content.ReadAsStringAsync())!["decided_by"]!.GetValue<string>());
        Assert.False((await _harness.ChargeAsync(11)).IsError);
    }

    [Fact]
    public async Task CookieAndBearer_EachWorkOnlyOnTheirOwnApi()
    {
        var (cookie, _) = await SessionAsync();

        using var cookieOnBearerApi = new HttpRequestMessage(HttpMethod.Get, new Uri(_harness.Gateway.BaseUrl, "/admin/approvals"));
        cookieOnBearerApi.Headers.Add("Cookie", cookie);
        using var cookieOnBearerApiResponse = await Http.SendAsync(cookieOnBearerApi);
        using var bearerOnPageApi = new HttpRequestMessage(HttpMethod.Get, new Uri(_harness.Gateway.BaseUrl, "/admin/ui/api/approvals"));
        bearerOnPageApi.Headers.Authorization = new("Bearer", ApprovalHarness.AdminToken);
        using var bearerOnPageApiResponse = await Http.SendAsync(bearerOnPageApi);
        using var cookieOnPageApi = await GetAsync("approvals", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, cookieOnBearerApiResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bearerOnPageApiResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cookieOnPageApi.StatusCode);
    }

    [Fact]
    public async Task ExpiredAlteredOrForeignCookie_Refused()
    {
        var hash = ImmutableArray.Create(SHA256.HashData(Encoding.UTF8.GetBytes(ApprovalHarness.AdminToken)));
        var ourKey = new ApproverSessionSealer(Convert.FromBase64String(GatewayProcess.SharedSessionKey));
        var otherKey = new ApproverSessionSealer(RandomNumberGenerator.GetBytes(32));
        var live = ourKey.Seal(new ApproverSession("alice", hash, DateTimeOffset.UtcNow.AddMinutes(5)));
        var expired = ourKey.Seal(new ApproverSession("alice", hash, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var foreign = otherKey.Seal(new ApproverSession("alice", hash, DateTimeOffset.UtcNow.AddMinutes(5)));
        var unknownCredential = ourKey.Seal(new ApproverSession("alice", ImmutableArray.Create(new byte[32]), DateTimeOffset.UtcNow.AddMinutes(5)));
        var altered = live[..^3] + (live[^3] == 'A' ? 'B' : 'A') + live[^2..];

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("approvals", "mcpgw_approver=" + live)).StatusCode);
        foreach (var refused in new[] { expired, foreign, unknownCredential, altered })
        {
            using var response = await GetAsync("approvals", "mcpgw_approver=" + refused);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("sign in again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie_OnlyWithTheSessionsCsrfToken()
    {
        var (cookie, csrf) = await SessionAsync();

        using var forged = await PostAsync("sign-out", cookie, null, Origin);
        using var signedOut = await PostAsync("sign-out", cookie, csrf, Origin);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal("mcpgw_approver=; Max-Age=0; HttpOnly; SameSite=Strict", Assert.Single(signedOut.Headers.GetValues("Set-Cookie")));
    }

    private async Task<(string Cookie, string Csrf)> SessionAsync()
    {
        using var response = await SignInAsync(ApprovalHarness.AdminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var csrf = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["csrf_token"]!.GetValue<string>();
        return (cookie, csrf);
    }

    private Task<HttpResponseMessage> SignInAsync(string credential) => Http.SendAsync(SignInRequest(credential, Origin));

    private HttpRequestMessage SignInRequest(string credential, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_harness.Gateway.BaseUrl, "/admin/ui/api/session"))
        {
            Content = new StringContent(new JsonObject { ["credential"] = credential }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private Task<HttpResponseMessage> GetAsync(string path, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_harness.Gateway.BaseUrl, "/admin/ui/api/" + path));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string? cookie, string? csrf, string? origin, string body = "{}")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_harness.Gateway.BaseUrl, "/admin/ui/api/" + path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in new[] { ("Cookie", cookie), (ApproverPageSessions.CsrfHeader, csrf), ("Origin", origin) })
        {
            if (value is not null)
            {
                request.Headers.Add(name, value);
            }
        }

        return Http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.GetValues(name));

    [GeneratedRegex(@"<script\s+src=""(?<src>[^""]+)""[^>]*></script>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>")]
    private static partial Regex InlineScript();
}

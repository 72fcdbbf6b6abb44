using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using McpGateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Admin;

/// <summary>
/// Approver page sessions (issue 22): the admin credential is exchanged once for a sealed cookie, and
/// the page's calls to the admin API under <c>/admin/ui/api/</c> authenticate with that cookie alone.
/// The Bearer API under <c>/admin/approvals</c> never accepts the cookie, so only the page's own routes
/// are reachable by a browser's ambient credential, and each of those is guarded here.
/// </summary>
internal sealed class ApproverPageSessions(
    ApproverSessionSealer sealer,
    IGatewayConfigProvider config,
    TimeProvider time,
    IOptions<AdminPageOptions> pageOptions,
    IOptions<GatewayOptions> gatewayOptions,
    ILogger<ApproverPageSessions> logger)
{
    /// <summary>
    /// No <c>Path</c> attribute: the browser scopes the cookie to the folder of the sign-in URL,
    /// <c>&lt;stage&gt;/admin/ui/api</c>, whatever stage prefix API Gateway put in front, so it reaches the
    /// page's API and nothing else of the gateway.
    /// </summary>
    public const string CookieName = "mcpgw_approver";

    public const string CsrfHeader = "X-Mcpgw-Csrf";

    private const int MaxSignInBytes = 4096;

    /// <summary>Whether the matched endpoint is one of the page's API routes, wherever the admin API is mapped.</summary>
    public static bool IsPageApi(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ApproverPageApi>() is not null;

    /// <summary>
    /// Authenticates one call of the page's API: from the page's own origin, with a live cookie for an
    /// admin whose credential is still configured, and on POST the CSRF token bound to that cookie.
    /// Writes the refusal and returns null when any of these fails.
    /// </summary>
    public async Task<AdminConfig?> AuthenticateAsync(HttpContext context)
    {
        var isPost = HttpMethods.IsPost(context.Request.Method);
        var check = Check(context.Request, requireCsrf: isPost);
        if (check.Admin is null)
        {
            AdminPageLog.Refused(logger, check.Problem!);
            await AdminErrors.WriteAsync(context, check.Error!.Value, check.Problem).ConfigureAwait(false);
        }

        return check.Admin;
    }

    /// <summary>POST <c>/admin/ui/api/session</c>: <c>{"credential": "..."}</c> in, a session cookie out.</summary>
    public async Task SignInAsync(HttpContext context)
    {
        var request = context.Request;
        if (PageRequest.CrossOriginProblem(request, gatewayOptions.Value.AllowedOrigins, requireOrigin: true) is { } crossOrigin)
        {
            AdminPageLog.Refused(logger, crossOrigin);
            await AdminErrors.WriteAsync(context, AdminError.Forbidden, crossOrigin).ConfigureAwait(false);
            return;
        }

        // JSON only: a cross-site form can post text/plain without asking, but not application/json.
        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            await AdminErrors.WriteAsync(context, AdminError.NotJson, "the body must be application/json: {\"credential\": \"...\"}").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is not { } length || length > MaxSignInBytes)
        {
            await AdminErrors.WriteAsync(context, AdminError.BodyTooLarge, $"the body must declare its length and be at most {MaxSignInBytes} bytes").ConfigureAwait(false);
            return;
        }

        var body = new byte[length];
        await request.Body.ReadExactlyAsync(body, context.RequestAborted).ConfigureAwait(false);
        string? credential;
        try
        {
            credential = JsonSerializer.Deserialize(body, AdminPageJsonContext.Default.SignInRequest)?.Credential;
        }
        catch (JsonException)
        {
            credential = null;
        }

        if (credential is not { Length: > 0 and < 512 })
        {
            await AdminErrors.WriteAsync(context, AdminError.InvalidBody, "the body must be {\"credential\": \"...\"} with the admin credential").ConfigureAwait(false);
            return;
        }

        var snapshot = config.Current;
        if (!snapshot.IsLoaded)
        {
            await AdminErrors.WriteAsync(context, AdminError.NotConfigured).ConfigureAwait(false);
            return;
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(credential.Trim()));
        if (snapshot.FindAdmin(hash) is not { } admin)
        {
            AdminPageLog.SignInRefused(logger);
            await AdminErrors.WriteAsync(context, AdminError.NotAnAdminCredential).ConfigureAwait(false);
            return;
        }

        var lifetime = TimeSpan.FromMinutes(pageOptions.Value.SessionMinutes);
        var expiresAt = time.GetUtcNow() + lifetime;
        var cookie = sealer.Seal(new ApproverSession(admin.Name, ImmutableArray.Create(hash), expiresAt));
        SetCookie(context, cookie, lifetime);
        AdminPageLog.SignedIn(logger, admin.Name);
        await WriteSessionAsync(context, admin.Name, expiresAt, cookie).ConfigureAwait(false);
    }

    /// <summary>GET <c>/admin/ui/api/session</c>: who is signed in, and the CSRF token for this cookie.</summary>
    public async Task ShowAsync(HttpContext context)
    {
        var check = Check(context.Request, requireCsrf: false);
        if (check.Admin is null)
        {
            await AdminErrors.WriteAsync(context, check.Error!.Value, check.Problem).ConfigureAwait(false);
            return;
        }

        await WriteSessionAsync(context, check.Admin.Name, check.Session!.ExpiresAt, check.Cookie!).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>/admin/ui/api/sign-out</c>: the browser drops the cookie. A live session must present its
    /// CSRF token, so another site cannot sign the approver out; a dead one is simply cleared.
    /// </summary>
    public async Task SignOutAsync(HttpContext context)
    {
        var check = Check(context.Request, requireCsrf: true);
        if (check.Admin is null && check.Error != AdminError.NotSignedIn)
        {
            AdminPageLog.Refused(logger, check.Problem!);
            await AdminErrors.WriteAsync(context, check.Error!.Value, check.Problem).ConfigureAwait(false);
            return;
        }

        SetCookie(context, "", TimeSpan.Zero);
        if (check.Admin is not null)
        {
            AdminPageLog.SignedOut(logger, check.Admin.Name);
        }

        context.Response.StatusCode = 204;
    }

    private SessionCheck Check(HttpRequest request, bool requireCsrf)
    {
        if (PageRequest.CrossOriginProblem(request, gatewayOptions.Value.AllowedOrigins, requireOrigin: requireCsrf) is { } crossOrigin)
        {
            return SessionCheck.Refuse(AdminError.Forbidden, crossOrigin);
        }

        var snapshot = config.Current;
        if (!snapshot.IsLoaded)
        {
            return SessionCheck.Refuse(AdminError.NotConfigured);
        }

        if (!request.Cookies.TryGetValue(CookieName, out var cookie) || cookie.Length == 0)
        {
            return SessionCheck.Refuse(AdminError.NotSignedIn);
        }

        // An expired, altered or foreign cookie, or one whose credential was removed or rotated since.
        if (sealer.Open(cookie, time.GetUtcNow()) is not { } session ||
            snapshot.FindAdmin(session.TokenSha256.AsSpan()) is not { } admin ||
            !string.Equals(admin.Name, session.Admin, StringComparison.Ordinal))
        {
            return SessionCheck.Refuse(AdminError.NotSignedIn, "the approver session has ended: sign in again");
        }

        if (requireCsrf && !sealer.IsValidCsrfToken(cookie, request.Headers[CsrfHeader].Count == 1 ? request.Headers[CsrfHeader][0] : null))
        {
            return SessionCheck.Refuse(AdminError.Forbidden, $"the {CsrfHeader} header is missing or does not match this session");
        }

        return new SessionCheck(null, null, admin, session, cookie);
    }

    private static void SetCookie(HttpContext context, string value, TimeSpan maxAge)
    {
        var secure = PageRequest.IsLoopbackHttp(context.Request) ? "" : "; Secure";
        var seconds = ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.Append("Set-Cookie", $"{CookieName}={value}; Max-Age={seconds}; HttpOnly; SameSite=Strict{secure}");
    }

    private async Task WriteSessionAsync(HttpContext context, string admin, DateTimeOffset expiresAt, string cookie)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ApproverSessionResponse(admin, expiresAt, sealer.CsrfToken(cookie)), AdminPageJsonContext.Default.ApproverSessionResponse, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Who a page API call is from, or why it is refused (<see cref="Error"/>, with <see cref="Problem"/> as detail).</summary>
    private sealed record SessionCheck(AdminError? Error, string? Problem, AdminConfig? Admin, ApproverSession? Session, string? Cookie)
    {
        public static SessionCheck Refuse(AdminError error, string? problem = null) => new(error, problem ?? AdminErrors.Describe(error).Message, null, null, null);
    }
}

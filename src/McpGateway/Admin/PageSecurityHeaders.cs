using Microsoft.AspNetCore.Http;

namespace McpGateway.Admin;

/// <summary>
/// The headers on every approver page response (issue 22): nothing but the gateway's own files may run or
/// load, the page may not be framed (clickjacking an Approve button), and nothing is cached, since the
/// answers carry approval data and a shared or back-button cache must not replay them.
/// </summary>
internal static class PageSecurityHeaders
{
    /// <summary>No inline script or style, no third-party origin, no plugins, no base rewriting, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
    }
}

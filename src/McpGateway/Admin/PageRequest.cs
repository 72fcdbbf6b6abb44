using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Admin;

/// <summary>
/// Where a request to the approver page came from, as the browser saw it. Behind API Gateway and the
/// Lambda Web Adapter the connection is plain HTTP from 127.0.0.1, so the scheme comes from
/// <c>X-Forwarded-Proto</c> and the origin from the <c>Host</c> the browser sent.
/// </summary>
internal static class PageRequest
{
    /// <summary>
    /// The page's calls come from the page itself. A browser marks every fetch with <c>Sec-Fetch-Site</c>
    /// and every POST with <c>Origin</c>; either naming another origin means another site's page made
    /// the call. A POST without <c>Origin</c> is refused too, since every browser this page supports sends it.
    /// </summary>
    public static string? CrossOriginProblem(HttpRequest request, string[] allowedOrigins, bool requireOrigin)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"];
        if (fetchSite.Count > 0 && !(fetchSite.Count == 1 && string.Equals(fetchSite[0], "same-origin", StringComparison.OrdinalIgnoreCase)))
        {
            return "the request came from another site (Sec-Fetch-Site)";
        }

        var origin = request.Headers[HeaderNames.Origin];
        if (origin.Count == 0)
        {
            return requireOrigin ? "a state change must carry the browser's Origin header" : null;
        }

        if (origin.Count == 1 && (string.Equals(origin[0], OwnOrigin(request), StringComparison.OrdinalIgnoreCase) ||
                                  allowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin[0], StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        return "the Origin of this request is not the gateway's own";
    }

    public static string OwnOrigin(HttpRequest request) => Scheme(request) + "://" + request.Host.Value;

    /// <summary>
    /// Plain HTTP to a loopback host name: the only case where the cookie goes without <c>Secure</c>, so that
    /// <c>make run</c> works on http://127.0.0.1. Decided by the Host the browser used, not the connection,
    /// because on Lambda every connection comes from 127.0.0.1.
    /// </summary>
    public static bool IsLoopbackHttp(HttpRequest request)
    {
        if (Scheme(request) != "http")
        {
            return false;
        }

        var host = request.Host.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
               (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static string Scheme(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-Proto"];
        if (forwarded.Count == 1 && forwarded[0] is "https" or "http")
        {
            return forwarded[0]!;
        }

        return request.IsHttps ? "https" : "http";
    }
}

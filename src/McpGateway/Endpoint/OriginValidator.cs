using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Endpoint;

/// <summary>
/// MCP's transport rules require servers to validate <c>Origin</c> against DNS rebinding: a web page
/// must not be able to drive the gateway from a user's browser. Requests without an Origin (agents,
/// CLIs) pass; requests with one pass if it is configured in <c>Gateway:AllowedOrigins</c>, or if the
/// gateway itself listens on loopback and both <c>Origin</c> and <c>Host</c> name a loopback host (as the
/// MCP SDKs do for local servers: a rebinding page's Host is its own domain, never loopback).
/// </summary>
internal static class OriginValidator
{
    public static bool IsAllowed(HttpRequest request, string[] allowedOrigins)
    {
        var origin = request.Headers[HeaderNames.Origin];
        if (origin.Count == 0)
        {
            return true;
        }

        if (origin.Count > 1)
        {
            return false;
        }

        foreach (var allowed in allowedOrigins)
        {
            if (string.Equals(allowed.TrimEnd('/'), origin[0], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return IsLoopbackToLoopback(request, origin[0]!);
    }

    private static bool IsLoopbackToLoopback(HttpRequest request, string origin) =>
        request.HttpContext.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local) &&
        Uri.TryCreate(origin, UriKind.Absolute, out var originUri) &&
        (originUri.Scheme == Uri.UriSchemeHttp || originUri.Scheme == Uri.UriSchemeHttps) &&
        originUri.AbsolutePath == "/" && IsLoopbackHost(originUri.IdnHost) &&
        request.Host.HasValue && IsLoopbackHost(HostName(request.Host.Host));

    private static string HostName(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(HostName(host), out var address) && IPAddress.IsLoopback(address));
}

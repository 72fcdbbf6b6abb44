using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Endpoint;

/// <summary>
/// MCP's transport rules require servers to validate <c>Origin</c> against DNS rebinding: a web page
/// must not be able to drive the gateway from a user's browser. Requests without an Origin (agents,
/// CLIs) pass; requests with one pass only if it is configured in <c>Gateway:AllowedOrigins</c>.
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

        return false;
    }
}

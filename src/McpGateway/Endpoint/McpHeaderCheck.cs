using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace McpGateway.Endpoint;

/// <summary>
/// MCP 2026-07-28 repeats the method (and the tool, prompt or resource name) in <c>Mcp-Method</c> and
/// <c>Mcp-Name</c> headers so that intermediaries can route without parsing bodies. A header that
/// disagrees with the body is how a request smuggles one thing past a router and another to a server,
/// so any disagreement is refused, at every revision; under 2026-07-28 the headers are also required, and
/// the refusal carries that revision's own code (-32020 HeaderMismatch) where older ones get -32600.
/// </summary>
internal static class McpHeaderCheck
{
    public static GatewayError Validate(HttpRequest request, JsonRpcMessage message, out string? detail)
    {
        var stateless = McpHeaders.IsStateless(request);
        detail = Problem(request, message, stateless);
        return detail is null ? GatewayError.None
            : stateless ? GatewayError.StatelessHeaderMismatch
            : GatewayError.HeaderMismatch;
    }

    private static string? Problem(HttpRequest request, JsonRpcMessage message, bool stateless)
    {
        if (message.Kind == JsonRpcMessageKind.Response)
        {
            return null;
        }

        var methodHeader = request.Headers[McpHeaders.Method];
        if (StringValues.IsNullOrEmpty(methodHeader))
        {
            if (stateless)
            {
                return $"{McpHeaders.Method} is required with {McpHeaders.ProtocolVersion} {McpHeaders.StatelessRevision}";
            }
        }
        else if (methodHeader.Count != 1 || !string.Equals(methodHeader[0], message.Method, StringComparison.Ordinal))
        {
            return $"{McpHeaders.Method} does not match the message's method";
        }

        var expectedName = McpNameHeader.Expected(message);

        var nameHeader = request.Headers[McpHeaders.Name];
        if (StringValues.IsNullOrEmpty(nameHeader))
        {
            return stateless && McpNameHeader.IsRequired(message.Method)
                ? $"{McpHeaders.Name} is required for {message.Method} with {McpHeaders.ProtocolVersion} {McpHeaders.StatelessRevision}"
                : null;
        }

        // An encoded value (=?base64?...?=) is decoded before the comparison, for every method: a router reads the
        // decoded value, so it is the one that must repeat the body. One that does not decode matches nothing.
        return nameHeader.Count == 1 && expectedName is not null &&
               HeaderValueEncoding.TryDecode(nameHeader[0]!, out var name) &&
               string.Equals(name, expectedName, StringComparison.Ordinal)
            ? null
            : $"{McpHeaders.Name} does not match the message";
    }
}

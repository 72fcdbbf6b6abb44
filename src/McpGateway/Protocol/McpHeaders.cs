using Microsoft.AspNetCore.Http;

namespace McpGateway.Protocol;

/// <summary>HTTP headers of the MCP streamable-HTTP transport.</summary>
internal static class McpHeaders
{
    public const string SessionId = "Mcp-Session-Id";
    public const string ProtocolVersion = "MCP-Protocol-Version";
    public const string Method = "Mcp-Method";
    public const string Name = "Mcp-Name";
    public const string LastEventId = "Last-Event-ID";

    /// <summary>The stateless revision: no sessions, no GET stream, method headers required.</summary>
    public const string StatelessRevision = "2026-07-28";

    /// <summary>Whether <paramref name="request"/>'s protocol version header names the stateless revision, whose header refusals carry -32020.</summary>
    public static bool IsStateless(HttpRequest request) =>
        string.Equals(request.Headers[ProtocolVersion], StatelessRevision, StringComparison.Ordinal);
}

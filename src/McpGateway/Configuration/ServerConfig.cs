using System.Collections.Frozen;
using McpGateway.Aws;

namespace McpGateway.Configuration;

/// <summary>
/// An upstream MCP server. <see cref="Headers"/> are added to every forwarded request (the upstream's own
/// credentials, for example); the client's headers never reach the upstream except the MCP ones. With
/// <see cref="Auth"/> every request to it is also signed with SigV4 (issue 13).
/// </summary>
internal sealed record ServerConfig(
    string Name,
    Uri Url,
    FrozenDictionary<string, string> Headers,
    TimeSpan Timeout,
    SigV4UpstreamAuth? Auth = null)
{
    /// <summary>
    /// How long an upstream stream may stay silent before the gateway ends it (issue 16). The default is API
    /// Gateway's own idle limit for streamed responses: past it the client is cut off anyway, and on Lambda a
    /// silent upstream would otherwise hold a billed invocation until the function's timeout.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The definitions an operator approved, tool name to <c>sha256:</c> fingerprint (issue 15), or null when the
    /// server is not pinned. A pinned server's tools are listed and called only while their definition matches.
    /// </summary>
    public FrozenDictionary<string, string>? ToolPins { get; init; }
}

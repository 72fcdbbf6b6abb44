using System.ComponentModel.DataAnnotations;

namespace McpGateway;

/// <summary>Settings under <c>Gateway:</c> (environment: <c>Gateway__...</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The local configuration file (servers, policies, grants). Also <c>--config FILE</c>.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// Base64 key (at least 32 bytes) that seals MCP session ids. Every instance behind one URL needs the
    /// same key; without one, a random key is made at start and sessions last as long as the process.
    /// </summary>
    public string? SessionKey { get; set; }

    /// <summary>Browser origins allowed to call the gateway. Requests with any other Origin get 403.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Largest accepted request body; larger ones get 413 before any parsing.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest single message (a JSON response or one SSE event) accepted from an upstream.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxResponseMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Whether clients may open the standalone GET stream for server-initiated messages. MCP lets a server
    /// answer 405 instead, and on Lambda an idle stream holds a billed invocation for up to 15 minutes, so
    /// the deployment template turns it off.
    /// </summary>
    public bool AllowGetStream { get; set; } = true;

    /// <summary>
    /// How old the gateway's copy of a server's tool definitions may be before a call that needs them (a pinned
    /// server's, or one under <c>validate_arguments</c>) reads the server's tools/list again (issue 15).
    /// </summary>
    [Range(1, 86400)]
    public int ToolDefinitionsMaxAgeSeconds { get; set; } = 60;

    /// <summary>
    /// How long the sealed <c>requestState</c> of an <c>input_required</c> answer stays valid for the client's retry
    /// (MCP 2026-07-28 multi-round-trip requests, issue 21); after it the client must start the call again.
    /// </summary>
    [Range(1, 86400)]
    public int InputRequiredMaxAgeSeconds { get; set; } = 600;

    /// <summary>Whether the decision log (one JSON line per tools/call) is written to standard output.</summary>
    public bool DecisionLogToStdout { get; set; } = true;
}

using System.Collections.Frozen;

namespace McpGateway.Configuration;

/// <summary>
/// An upstream MCP server. <see cref="Headers"/> are added to every forwarded request (the upstream's own
/// credentials, for example); the client's headers never reach the upstream except the MCP ones.
/// </summary>
internal sealed record ServerConfig(
    string Name,
    Uri Url,
    FrozenDictionary<string, string> Headers,
    TimeSpan Timeout);

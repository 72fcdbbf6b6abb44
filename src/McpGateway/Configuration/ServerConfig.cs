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
    SigV4UpstreamAuth? Auth = null);

using System.Collections.Immutable;
using System.Text.Json;

namespace McpGateway.Catalog;

/// <summary>
/// Every page of a server's <c>tools/list</c>, as the server sent each tool (raw JSON, so a fingerprint covers
/// members the SDK's own types would drop), and the server as it introduced itself.
/// </summary>
internal sealed record UpstreamToolList(
    string ServerName,
    string? ServerVersion,
    string ProtocolVersion,
    int Pages,
    ImmutableArray<JsonElement> Tools,
    ImmutableArray<string> Duplicates);

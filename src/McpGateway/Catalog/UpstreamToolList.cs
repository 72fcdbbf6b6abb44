using System.Collections.Immutable;
using System.Text.Json;

namespace McpGateway.Catalog;

/// <summary>
/// Every page of a server's <c>tools/list</c>, as the server sent each tool (raw JSON, so a fingerprint covers
/// members the SDK's own types would drop), and the server as it introduced itself. <see cref="Tools"/> holds
/// the first definition of each name, which is what the gateway keeps; <see cref="Listed"/> every definition in
/// the order listed, a repeated name each time, for <c>mcpgw scan</c> to show what the server really lists;
/// <see cref="Duplicates"/> each repetition's name.
/// </summary>
internal sealed record UpstreamToolList(
    string ServerName,
    string? ServerVersion,
    string ProtocolVersion,
    int Pages,
    ImmutableArray<JsonElement> Tools,
    ImmutableArray<JsonElement> Listed,
    ImmutableArray<string> Duplicates);

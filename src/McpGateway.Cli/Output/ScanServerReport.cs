using System.Text.Json.Serialization;

namespace McpGateway.Cli.Output;

/// <summary>The server as it introduced itself, and where and how it was reached.</summary>
internal sealed record ScanServerReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("protocol_version")] string ProtocolVersion,
    [property: JsonPropertyName("pages")] int Pages);

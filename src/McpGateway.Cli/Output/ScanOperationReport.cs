using System.Text.Json.Serialization;

namespace McpGateway.Cli.Output;

/// <summary>The parameter that multiplexes a tool's operations, with each value's category.</summary>
internal sealed record ScanOperationReport(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("values")] IReadOnlyList<ScanOperationValueReport> Values);

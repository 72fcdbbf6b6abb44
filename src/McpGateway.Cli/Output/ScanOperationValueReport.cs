using System.Text.Json.Serialization;

namespace McpGateway.Cli.Output;

/// <summary>One value of the multiplexing parameter and its category.</summary>
internal sealed record ScanOperationValueReport(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("category")] string Category);

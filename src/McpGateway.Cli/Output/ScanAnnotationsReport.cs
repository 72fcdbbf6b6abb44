using System.Text.Json.Serialization;

namespace McpGateway.Cli.Output;

/// <summary>The upstream's hints, as declared (absent ones left out).</summary>
internal sealed record ScanAnnotationsReport(
    [property: JsonPropertyName("readOnlyHint")] bool? ReadOnlyHint,
    [property: JsonPropertyName("destructiveHint")] bool? DestructiveHint,
    [property: JsonPropertyName("idempotentHint")] bool? IdempotentHint,
    [property: JsonPropertyName("openWorldHint")] bool? OpenWorldHint);

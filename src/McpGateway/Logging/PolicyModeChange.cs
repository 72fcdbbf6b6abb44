using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>One rule whose effective mode changed: <c>enforce</c> or <c>shadow</c>, before and after.</summary>
internal sealed record PolicyModeChange(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To);

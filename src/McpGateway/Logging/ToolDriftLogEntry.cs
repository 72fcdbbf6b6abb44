using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>
/// The audit line written when a pinned server lists a tool that is not pinned, or whose definition no longer
/// matches its pin (issue 15): <see cref="Pinned"/> is null for a tool that was never pinned, <see cref="Seen"/>
/// null for a pinned tool the server no longer lists.
/// </summary>
internal sealed record ToolDriftLogEntry
{
    [JsonPropertyName("type")] public string Type { get; init; } = "tool_drift";
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("server")] public required string Server { get; init; }
    [JsonPropertyName("tool")] public required string Tool { get; init; }
    [JsonPropertyName("pinned")] public string? Pinned { get; init; }
    [JsonPropertyName("seen")] public string? Seen { get; init; }
}

using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>
/// The audit line written when a newly loaded policy version changes the effective mode of any rule or limit
/// (issue 17): switching enforcement off must never be silent.
/// </summary>
internal sealed record PolicyModeLogEntry
{
    [JsonPropertyName("type")] public string Type { get; init; } = "policy_mode";
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("policy")] public required string Policy { get; init; }
    [JsonPropertyName("policy_version")] public string? PolicyVersion { get; init; }
    [JsonPropertyName("previous_version")] public string? PreviousVersion { get; init; }
    [JsonPropertyName("rules")] public required IReadOnlyList<PolicyModeChange> Rules { get; init; }
}

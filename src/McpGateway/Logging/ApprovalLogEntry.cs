using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>One line of the audit log for an approver's action: who decided what, and when.</summary>
internal sealed record ApprovalLogEntry
{
    [JsonPropertyName("type")] public string Type { get; init; } = "approval";
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("approval_id")] public required string ApprovalId { get; init; }
    [JsonPropertyName("admin")] public required string Admin { get; init; }
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("grant")] public string? Grant { get; init; }
    [JsonPropertyName("server")] public string? Server { get; init; }
    [JsonPropertyName("tool")] public string? Tool { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using McpGateway.Approvals;

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

/// <summary>What the approval webhook receives.</summary>
internal sealed record ApprovalWebhookPayload(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("approval")] ApprovalRecord Approval,
    [property: JsonPropertyName("arguments"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Arguments);

/// <summary>Admin API bodies.</summary>
internal sealed record ApprovalListResponse([property: JsonPropertyName("approvals")] IReadOnlyList<ApprovalRecord> Approvals);

internal sealed record ApprovalDecisionRequest([property: JsonPropertyName("note")] string? Note);

internal sealed record AdminErrorResponse([property: JsonPropertyName("error")] string Error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApprovalLogEntry))]
[JsonSerializable(typeof(ApprovalWebhookPayload))]
[JsonSerializable(typeof(ApprovalListResponse))]
[JsonSerializable(typeof(ApprovalDecisionRequest))]
[JsonSerializable(typeof(AdminErrorResponse))]
[JsonSerializable(typeof(ApprovalRecord))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

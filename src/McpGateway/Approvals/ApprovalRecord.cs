using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Approvals;

/// <summary>
/// One approval, bound to one exact call by <see cref="Fingerprint"/> (grant, server, tool, canonical
/// arguments, policy version). Argument values are stored only when the rule opted in
/// (<c>"approval": {"include_arguments": true}</c>), so the approver sees what they approve; otherwise only
/// their keys and hash.
/// </summary>
internal sealed record ApprovalRecord
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("grant")] public required string Grant { get; init; }
    [JsonPropertyName("server")] public required string Server { get; init; }
    [JsonPropertyName("tool")] public required string Tool { get; init; }
    [JsonPropertyName("argument_keys")] public required IReadOnlyList<string> ArgumentKeys { get; init; }
    [JsonPropertyName("arguments_sha256")] public required string ArgumentsSha256 { get; init; }
    /// <summary>The call's arguments, kept only for rules with <c>include_arguments</c> and only up to <see cref="ApprovalRules.MaxKeptArgumentBytes"/>.</summary>
    [JsonPropertyName("arguments")] public JsonElement? Arguments { get; init; }

    /// <summary>True when the rule opted in but the arguments were too large to keep with the record.</summary>
    [JsonPropertyName("arguments_too_large")] public bool? ArgumentsTooLarge { get; init; }

    [JsonPropertyName("policy")] public string? Policy { get; init; }
    [JsonPropertyName("policy_version")] public string? PolicyVersion { get; init; }
    [JsonPropertyName("rule")] public string? Rule { get; init; }
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("expires_at")] public required DateTimeOffset ExpiresAt { get; init; }
    [JsonPropertyName("decided_by")] public string? DecidedBy { get; init; }
    [JsonPropertyName("decided_at")] public DateTimeOffset? DecidedAt { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }

    /// <summary>Identifies the call this approval covers; not shown to clients.</summary>
    [JsonIgnore] public string Fingerprint { get; init; } = "";

    [JsonIgnore] public ApprovalStatus State => ApprovalStatuses.Parse(Status);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;
}

/// <summary>Status names as stored and shown.</summary>
internal static class ApprovalStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Consumed = "consumed";

    public static ApprovalStatus Parse(string status) => status switch
    {
        Approved => ApprovalStatus.Approved,
        Rejected => ApprovalStatus.Rejected,
        Consumed => ApprovalStatus.Consumed,
        _ => ApprovalStatus.Pending,
    };
}

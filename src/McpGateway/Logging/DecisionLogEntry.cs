using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>
/// One line of the decision log: what was called, by whom, what the policy decided and what happened.
/// Argument values never appear: only the top-level keys and a SHA-256 of the canonical arguments.
/// </summary>
internal sealed record DecisionLogEntry
{
    [JsonPropertyName("type")] public string Type { get; init; } = "decision";
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
    [JsonPropertyName("grant")] public required string Grant { get; init; }
    [JsonPropertyName("server")] public required string Server { get; init; }
    [JsonPropertyName("tool")] public required string Tool { get; init; }
    [JsonPropertyName("decision")] public required string Decision { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }

    /// <summary>forwarded, denied, rate_limited, store_unavailable, the approval outcomes, the upstream_* outcomes of docs/upstream-failures.md, client_aborted.</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("policy")] public string? Policy { get; init; }
    [JsonPropertyName("policy_version")] public string? PolicyVersion { get; init; }
    [JsonPropertyName("argument_keys")] public required IReadOnlyList<string> ArgumentKeys { get; init; }
    [JsonPropertyName("arguments_sha256")] public required string ArgumentsSha256 { get; init; }
    [JsonPropertyName("latency_ms")] public required double LatencyMs { get; init; }
    [JsonPropertyName("upstream_status")] public int? UpstreamStatus { get; init; }

    /// <summary>From sending the call upstream to its answer (a JSON body read, or an SSE stream's end); null when not sent.</summary>
    [JsonPropertyName("upstream_latency_ms")] public double? UpstreamLatencyMs { get; init; }

    /// <summary>The counter or approval store's error kind, when the store failed this call (refused, or a limit skipped).</summary>
    [JsonPropertyName("store_error")] public string? StoreError { get; init; }

    /// <summary>The approval that governed the call, for <c>approve</c> rules.</summary>
    [JsonPropertyName("approval_id")] public string? ApprovalId { get; init; }

    /// <summary>The EMF <c>Tool</c> dimension's bounded value (<see cref="Metrics.EmfWriter.ToolValue"/>); not a field of the line.</summary>
    [JsonIgnore] public string? MetricTool { get; init; }

    /// <summary>What a shadowed rule would have done, when it would not have let the call go on (issue 17); absent otherwise.</summary>
    [JsonPropertyName("shadow")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ShadowLogEntry? Shadow { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DecisionLogEntry))]
[JsonSerializable(typeof(ApprovalLogEntry))]
[JsonSerializable(typeof(PolicyModeLogEntry))]
[JsonSerializable(typeof(ToolDriftLogEntry))]
internal sealed partial class DecisionLogJsonContext : JsonSerializerContext;

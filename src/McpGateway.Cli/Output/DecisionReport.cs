using System.Text.Json.Serialization;
using McpGateway.Policy;
using McpGateway.Tools;

namespace McpGateway.Cli.Output;

/// <summary>What <c>mcpgw policy check</c> prints, as text or (with <c>--json</c>) as JSON.</summary>
internal sealed record DecisionReport(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("tool")] string Tool,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("limits")] IReadOnlyList<LimitReport> Limits,
    [property: JsonPropertyName("approval_timeout_seconds")] double? ApprovalTimeoutSeconds,
    [property: JsonPropertyName("class")] ClassReport? Class = null)
{
    /// <summary>
    /// What the policy decides with its shadowed rules and limits enforced too (issue 17); present only when
    /// the document has any. The exit code follows the enforced decision, as the gateway does.
    /// </summary>
    [JsonPropertyName("shadow")]
    public DecisionReport? Shadow { get; init; }

    public static DecisionReport From(string tool, PolicyDecision decision, ToolClassification? classification = null) => new(
        decision.Kind.ToString().ToLowerInvariant(),
        tool,
        decision.Rule,
        decision.Reason,
        [.. decision.Limits.Select(LimitReport.From)],
        decision.Approval?.Timeout.TotalSeconds,
        classification is null ? null : ClassReport.From(classification));

    public void WriteText(TextWriter output)
    {
        output.WriteLine($"{Decision} {Tool}");
        output.WriteLine($"  rule:   {Rule}");
        if (Reason is not null)
        {
            output.WriteLine($"  reason: {Reason}");
        }

        if (ApprovalTimeoutSeconds is { } timeout)
        {
            output.WriteLine($"  approval expires after {timeout} s");
        }

        foreach (var limit in Limits)
        {
            output.WriteLine($"  limit:  {limit.Counter} +{limit.Increment} of at most {limit.Max} per {limit.WindowSeconds} s ({limit.Scope} scope, {limit.Rule}), window {limit.WindowStart:u} to {limit.WindowEnd:u}");
        }

        if (Limits.Count > 0)
        {
            output.WriteLine("  (limits are shown, not counted)");
        }

        if (Class is not null)
        {
            output.WriteLine($"  class:  {Class.Category}, {Class.Risk} risk (from the name alone; mcpgw scan also reads the description and schema)");
        }

        if (Shadow is { } shadow)
        {
            output.Write("shadow (all rules enforced): ");
            shadow.WriteText(output);
        }
    }
}

/// <summary>One limit the call would reserve.</summary>
internal sealed record LimitReport(
    [property: JsonPropertyName("counter")] string Counter,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("increment")] long Increment,
    [property: JsonPropertyName("max")] long Max,
    [property: JsonPropertyName("window_seconds")] long WindowSeconds,
    [property: JsonPropertyName("window_start")] DateTimeOffset WindowStart,
    [property: JsonPropertyName("window_end")] DateTimeOffset WindowEnd)
{
    public static LimitReport From(LimitReservation reservation) => new(
        reservation.Limit.Counter,
        PolicyVocabulary.Scopes.NameOf(reservation.Limit.Scope),
        reservation.Rule,
        reservation.Key,
        reservation.Increment,
        reservation.Limit.Max,
        reservation.Limit.WindowSeconds,
        reservation.WindowStart,
        reservation.WindowEnd);
}

[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DecisionReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

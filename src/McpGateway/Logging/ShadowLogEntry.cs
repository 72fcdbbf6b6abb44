using System.Text.Json.Serialization;

namespace McpGateway.Logging;

/// <summary>
/// What a shadowed rule or limit would have done to a call that went on (issue 17): <c>deny</c>, <c>hide</c>
/// or <c>approve</c>, the rule that would have decided and the reason the agent would have read.
/// </summary>
internal sealed record ShadowLogEntry(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("reason")] string? Reason);

using System.Text.Json.Serialization;

namespace McpGateway.Admin;

/// <summary>The optional body of an approve or reject request.</summary>
internal sealed record ApprovalDecisionRequest([property: JsonPropertyName("note")] string? Note);

using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Approvals;

/// <summary>What the approval webhook receives.</summary>
internal sealed record ApprovalWebhookPayload(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("approval")] ApprovalRecord Approval,
    [property: JsonPropertyName("arguments"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Arguments);

using System.Text.Json.Serialization;

namespace McpGateway.Approvals;

/// <summary>Source-generated JSON for what the approvals area puts on the wire: records and the webhook body.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApprovalWebhookPayload))]
[JsonSerializable(typeof(ApprovalRecord))]
internal sealed partial class ApprovalJsonContext : JsonSerializerContext;

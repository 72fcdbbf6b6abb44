using System.Text.Json.Serialization;
using McpGateway.Approvals;

namespace McpGateway.Admin;

/// <summary>Source-generated JSON for the admin API's bodies.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ApprovalListResponse))]
[JsonSerializable(typeof(ApprovalDecisionRequest))]
[JsonSerializable(typeof(AdminErrorResponse))]
[JsonSerializable(typeof(ApprovalRecord))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using McpGateway.Approvals;

namespace McpGateway.Admin;

/// <summary>The body of <c>GET /admin/approvals</c>.</summary>
internal sealed record ApprovalListResponse([property: JsonPropertyName("approvals")] IReadOnlyList<ApprovalRecord> Approvals);

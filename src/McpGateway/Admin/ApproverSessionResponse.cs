using System.Text.Json.Serialization;

namespace McpGateway.Admin;

/// <summary>Who is signed in to the approver page, until when, and the CSRF token its POSTs must carry.</summary>
internal sealed record ApproverSessionResponse(
    [property: JsonPropertyName("admin")] string Admin,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("csrf_token")] string CsrfToken);

using System.Text.Json.Serialization;

namespace McpGateway.Admin;

/// <summary>The approver page's sign-in body: the admin credential, exchanged once for a session cookie.</summary>
internal sealed record SignInRequest([property: JsonPropertyName("credential")] string? Credential);

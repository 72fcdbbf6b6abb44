using System.Text.Json.Serialization;

namespace McpGateway.Admin;

/// <summary>The body of every refusal of the admin API.</summary>
internal sealed record AdminErrorResponse([property: JsonPropertyName("error")] string Error);

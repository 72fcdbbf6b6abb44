using System.Text.Json.Serialization;

namespace McpGateway.Configuration;

/// <summary>Wire shape of a <c>servers/&lt;name&gt;</c> entry.</summary>
internal sealed record ServerEntryDto(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("headers")] Dictionary<string, string>? Headers,
    [property: JsonPropertyName("timeout_seconds")] double? TimeoutSeconds,
    [property: JsonPropertyName("auth")] UpstreamAuthDto? Auth = null,
    [property: JsonPropertyName("idle_timeout_seconds")] double? IdleTimeoutSeconds = null,
    [property: JsonPropertyName("tool_pins")] Dictionary<string, string>? ToolPins = null);

/// <summary>Wire shape of a server entry's <c>auth</c> member.</summary>
internal sealed record UpstreamAuthDto(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("service")] string? Service,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("role_arn")] string? RoleArn);

/// <summary>Wire shape of a <c>grants/&lt;label&gt;</c> entry.</summary>
internal sealed record GrantEntryDto(
    [property: JsonPropertyName("token_sha256")] string? TokenSha256,
    [property: JsonPropertyName("server")] string? Server,
    [property: JsonPropertyName("policy")] string? Policy);

/// <summary>Wire shape of an <c>admins/&lt;name&gt;</c> entry.</summary>
internal sealed record AdminEntryDto([property: JsonPropertyName("token_sha256")] string? TokenSha256);

/// <summary>
/// Strict source-generated reading of configuration entries: unknown members and duplicate keys are
/// errors, property names are case-sensitive.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    PropertyNameCaseInsensitive = false,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ServerEntryDto))]
[JsonSerializable(typeof(GrantEntryDto))]
[JsonSerializable(typeof(AdminEntryDto))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;

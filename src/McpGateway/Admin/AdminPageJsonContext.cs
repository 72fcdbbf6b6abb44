using System.Text.Json.Serialization;

namespace McpGateway.Admin;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(ApproverSessionResponse))]
internal sealed partial class AdminPageJsonContext : JsonSerializerContext;

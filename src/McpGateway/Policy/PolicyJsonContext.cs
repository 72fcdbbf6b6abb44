using System.Text.Json.Serialization;

namespace McpGateway.Policy;

/// <summary>Source-generated JSON metadata for the few values the policy code serialises.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;

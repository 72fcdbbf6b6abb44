using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Configuration;

[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ConfigElementContext : JsonSerializerContext;

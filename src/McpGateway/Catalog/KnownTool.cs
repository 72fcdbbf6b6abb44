using System.Text.Json;

namespace McpGateway.Catalog;

/// <summary>
/// A tool as its server last listed it: its fingerprint (what a pin is compared with) and its input schema with
/// that schema's canonical hash (what <c>validate_arguments</c> compiles once and checks calls against).
/// </summary>
internal sealed record KnownTool(string Name, string Fingerprint, JsonElement InputSchema, string SchemaHash);

using System.Text.Json;

namespace McpGateway.Tools;

/// <summary>
/// One tool as an upstream lists it in <c>tools/list</c>: what the classifier reads. Only
/// <see cref="Name"/> is required; <c>mcpgw policy check</c> knows nothing else.
/// </summary>
internal sealed record ToolDefinition(string Name, string? Description = null, JsonElement? InputSchema = null, ToolHints? Hints = null);

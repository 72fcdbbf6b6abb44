using System.Text.Json;

namespace McpGateway.Policy;

/// <summary>
/// One <c>tools/call</c> as the policy sees it. <see cref="Arguments"/> is the parsed <c>arguments</c> object
/// (default when the call has none); <see cref="SessionId"/> is null for stateless MCP revisions.
/// </summary>
internal readonly record struct ToolCall(
    string Grant,
    string Server,
    string Tool,
    JsonElement Arguments,
    string? SessionId = null);

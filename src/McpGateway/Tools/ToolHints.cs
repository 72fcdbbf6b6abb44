namespace McpGateway.Tools;

/// <summary>
/// The MCP tool annotations an upstream declares. The specification calls them untrusted hints, so the
/// classifier lets them raise a class and never lower one.
/// </summary>
internal sealed record ToolHints(bool? ReadOnly, bool? Destructive, bool? Idempotent, bool? OpenWorld);

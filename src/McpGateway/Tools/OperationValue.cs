namespace McpGateway.Tools;

/// <summary>One value of a multiplexing parameter and the category of what it asks the tool to do.</summary>
internal sealed record OperationValue(string Value, ToolCategory Category);

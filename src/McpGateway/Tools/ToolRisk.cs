namespace McpGateway.Tools;

/// <summary>Risk class, which follows the category: Read Low, Write Medium, Execute High, Destructive and Financial Critical.</summary>
internal enum ToolRisk
{
    Low,
    Medium,
    High,
    Critical,
}

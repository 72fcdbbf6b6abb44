namespace McpGateway.Tools;

/// <summary>
/// What a tool does, in PolicyLayer's taxonomy. Declared from least to most dangerous: a classification
/// takes the highest category any evidence supports, and <see cref="Financial"/> sits above
/// <see cref="Destructive"/> so a tool that both moves money and deletes is reported as moving money.
/// </summary>
internal enum ToolCategory
{
    Read,
    Write,
    Execute,
    Destructive,
    Financial,
}

using System.Collections.Immutable;

namespace McpGateway.Tools;

/// <summary>
/// The classifier's verdict on one tool. <see cref="Reasons"/> name the evidence, the deciding one first;
/// <see cref="Operation"/> is set when an enum-valued parameter multiplexes what the tool does.
/// </summary>
internal sealed record ToolClassification(
    string Name,
    ToolCategory Category,
    ImmutableArray<string> Reasons,
    OperationParameter? Operation)
{
    public ToolRisk Risk => ToolClassNames.RiskOf(Category);

    /// <summary>
    /// The category every piece of evidence but <see cref="Operation"/> gives: when it is lower than
    /// <see cref="Category"/>, only some operation values make the tool dangerous.
    /// </summary>
    public ToolCategory CategoryWithoutOperation { get; init; } = Category;
}

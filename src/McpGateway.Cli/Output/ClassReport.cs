using System.Text.Json.Serialization;
using McpGateway.Tools;

namespace McpGateway.Cli.Output;

/// <summary>
/// The tool's class as <c>mcpgw policy check</c> sees it: from the name alone, since a check has no tool list.
/// The same classifier as <c>mcpgw scan</c>.
/// </summary>
internal sealed record ClassReport(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("risk")] string Risk,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons)
{
    public static ClassReport From(ToolClassification classification) => new(
        ToolClassNames.Name(classification.Category),
        ToolClassNames.Name(classification.Risk),
        classification.Reasons);
}

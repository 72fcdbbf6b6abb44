using System.Text.Json.Serialization;
using McpGateway.Cli.Scanning;
using McpGateway.Tools;

namespace McpGateway.Cli.Output;

/// <summary>One tool's classification, with the annotations exactly as the upstream declared them.</summary>
internal sealed record ScanToolReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("risk")] string Risk,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons,
    [property: JsonPropertyName("annotations")] ScanAnnotationsReport Annotations,
    [property: JsonPropertyName("operation")] ScanOperationReport? Operation)
{
    public static ScanToolReport From(ScannedTool tool)
    {
        var c = tool.Classification;
        var a = tool.Tool.Annotations;
        return new ScanToolReport(
            c.Name,
            ToolClassNames.Name(c.Category),
            ToolClassNames.Name(c.Risk),
            c.Reasons,
            new ScanAnnotationsReport(a?.ReadOnlyHint, a?.DestructiveHint, a?.IdempotentHint, a?.OpenWorldHint),
            c.Operation is { } op
                ? new ScanOperationReport(op.Path, [.. op.Values.Select(v => new ScanOperationValueReport(v.Value, ToolClassNames.Name(v.Category)))])
                : null);
    }
}

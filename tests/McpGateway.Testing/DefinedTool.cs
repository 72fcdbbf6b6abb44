using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.Testing;

/// <summary>
/// A tool of <see cref="SdkUpstream"/> whose definition is exactly the JSON a test gives (description, input schema
/// of any draft, annotations), so a test can change a tool while the upstream runs, as a rug-pulling server would.
/// A call answers with the names of the arguments it received, and is counted.
/// </summary>
internal sealed class DefinedTool(Tool definition, Action<string> count) : McpServerTool
{
    public override Tool ProtocolTool { get; } = definition;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public static DefinedTool FromJson(string json, Action<string> count) =>
        new(JsonSerializer.Deserialize<Tool>(json, McpJsonUtilities.DefaultOptions) ?? throw new ArgumentException("a tool definition", nameof(json)), count);

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        count(ProtocolTool.Name);
        var keys = request.Params?.Arguments?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();
        return ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = $"{ProtocolTool.Name} ran with {string.Join(",", keys)}" }] });
    }
}

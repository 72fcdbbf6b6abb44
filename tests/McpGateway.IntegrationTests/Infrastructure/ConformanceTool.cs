using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A tool of <see cref="ConformanceUpstream"/>: its definition is the JSON the conformance scenario documents
/// (so schemas such as the 2020-12 one reach the wire keyword for keyword, untouched by schema inference), and its
/// behaviour is a handler that sees the whole request (progress token, input responses, request state, server).
/// </summary>
internal sealed class ConformanceTool(Tool definition, Func<RequestContext<CallToolRequestParams>, CancellationToken, ValueTask<CallToolResult>> handler) : McpServerTool
{
    public override Tool ProtocolTool { get; } = definition;

    public override IReadOnlyList<object> Metadata { get; } = [];

    /// <summary>A tool taking no arguments.</summary>
    public static ConformanceTool NoArguments(string name, string description, Func<RequestContext<CallToolRequestParams>, CancellationToken, ValueTask<CallToolResult>> handler) =>
        Define($$$$"""{"name":"{{{{name}}}}","description":"{{{{description}}}}","inputSchema":{"type":"object","properties":{}}}""", handler);

    public static ConformanceTool Define(string definitionJson, Func<RequestContext<CallToolRequestParams>, CancellationToken, ValueTask<CallToolResult>> handler) =>
        new(ConformanceJson.Read<Tool>(definitionJson), handler);

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        handler(request, cancellationToken);
}

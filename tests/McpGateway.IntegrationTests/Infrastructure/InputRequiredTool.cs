using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A C# SDK tool that answers in two rounds (MCP 2026-07-28 multi-round-trip requests): without input responses it
/// asks the user to confirm (an elicitation) with its own requestState; with them it says which state and responses it received.
/// </summary>
internal sealed class InputRequiredTool(string state = InputRequiredTool.UpstreamState) : McpServerTool
{
    public const string ToolName = "needs_input";

    /// <summary>The upstream's own state, which the client must never see and the retry must bring back.</summary>
    public const string UpstreamState = "upstream-state-1";

    public override Tool ProtocolTool { get; } = new()
    {
        Name = ToolName,
        Description = "Asks the user to confirm before it answers",
        InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"target":{"type":"string"}}}""").RootElement.Clone(),
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    /// <summary>The requestState of every round that reached the tool, in order (null: none).</summary>
    public ConcurrentQueue<string?> SeenStates { get; } = new();

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var seen = request.Params?.RequestState;
        SeenStates.Enqueue(seen);
        if (request.Params?.InputResponses is not { Count: > 0 } responses)
        {
            throw new InputRequiredException(new Dictionary<string, InputRequest> { ["confirm"] = InputRequest.ForElicitation(new ElicitRequestParams { Message = "Proceed?", RequestedSchema = new ElicitRequestParams.RequestSchema() }) }, state);
        }

        return ValueTask.FromResult(new CallToolResult
        {
            Content = [new TextContentBlock { Text = $"state={seen}; answered={string.Join(",", responses.Keys)}" }],
        });
    }
}

using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>A prompt of <see cref="ConformanceUpstream"/>, defined by the JSON its scenario documents, answered by a handler.</summary>
internal sealed class ConformancePrompt(Prompt definition, Func<RequestContext<GetPromptRequestParams>, GetPromptResult> handler) : McpServerPrompt
{
    public override Prompt ProtocolPrompt { get; } = definition;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public static ConformancePrompt Define(string definitionJson, Func<RequestContext<GetPromptRequestParams>, GetPromptResult> handler) =>
        new(ConformanceJson.Read<Prompt>(definitionJson), handler);

    public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(handler(request));
}

using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The prompts of the conformance suite's prompts-get-* scenarios (and the one completion-complete completes).</summary>
internal static class ConformancePrompts
{
    public static IEnumerable<ConformancePrompt> All() =>
    [
        ConformancePrompt.Define("""{"name":"test_simple_prompt","description":"A prompt without arguments"}""", _ =>
            Messages("""[{"role":"user","content":{"type":"text","text":"This is a simple prompt for testing."}}]""")),

        ConformancePrompt.Define("""
            {"name":"test_prompt_with_arguments","description":"A prompt with two arguments","arguments":[
              {"name":"arg1","description":"First test argument","required":true},{"name":"arg2","description":"Second test argument","required":true}]}
            """, request => new GetPromptResult
        {
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = $"Prompt with arguments: arg1='{Argument(request, "arg1")}', arg2='{Argument(request, "arg2")}'" } }],
        }),

        ConformancePrompt.Define("""
            {"name":"test_prompt_with_embedded_resource","description":"A prompt embedding a resource","arguments":[{"name":"resourceUri","description":"URI of the resource to embed","required":true}]}
            """, request => new GetPromptResult
        {
            Messages =
            [
                new PromptMessage { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = Argument(request, "resourceUri"), MimeType = "text/plain", Text = "Embedded resource content for testing." } } },
                new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "Please process the embedded resource above." } },
            ],
        }),

        ConformancePrompt.Define("""{"name":"test_prompt_with_image","description":"A prompt with an image"}""", _ =>
            Messages($$$"""
                [{"role":"user","content":{"type":"image","data":"{{{ConformanceContentTools.RedPixelPng}}}","mimeType":"image/png"}},
                 {"role":"user","content":{"type":"text","text":"Please analyze the image above."}}]
                """)),

        ConformanceInputRequiredTools.Prompt(),
    ];

    private static GetPromptResult Messages(string messagesJson) => new() { Messages = ConformanceJson.Read<List<PromptMessage>>(messagesJson) };

    private static string Argument(RequestContext<GetPromptRequestParams> request, string name) =>
        request.Params?.Arguments is { } arguments && arguments.TryGetValue(name, out var value) ? value.ToString() : "";
}

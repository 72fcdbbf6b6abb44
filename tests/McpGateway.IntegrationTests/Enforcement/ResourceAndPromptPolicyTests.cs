using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Enforcement;

/// <summary>
/// The policy's <c>resources</c> and <c>prompts</c> sections (issue 16) through the real gateway, with
/// server-everything's own resources, resource templates and prompts, read by the C# SDK client.
/// </summary>
public sealed class ResourceAndPromptPolicyTests
{
    private const string DefaultDeny = """
        {"version":"1","default":"deny","tools":{"echo":{}},
         "resources":{
           "demo://resource/static/document/*":{},
           "demo://resource/static/document/instructions.md":{"action":"hide"},
           "demo://resource/static/document/startup.md":{"action":"deny","reason":"startup notes are internal"},
           "demo://resource/static/document/features.md":{"limits":[{"counter":"features","max":2,"window":"minute"}]},
           "demo://resource/static/document/missing-*":{"limits":[{"counter":"missing","max":1,"window":"minute"}]}},
         "prompts":{"simple-prompt":{},"completable-prompt":{},"args-prompt":{"action":"hide"}}}
        """;

    [Fact]
    public async Task DefaultDeny_OnlyListedResourcesAndPromptsAreListedAndRead_HiddenOnesLookUnknown()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("everything", upstream.Url, DefaultDeny);
        await using var client = await gateway.ConnectAsync("everything");

        var resources = (await client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        Assert.Contains("demo://resource/static/document/architecture.md", resources);
        Assert.Contains("demo://resource/static/document/startup.md", resources);
        Assert.DoesNotContain("demo://resource/static/document/instructions.md", resources);
        Assert.All(resources, uri => Assert.StartsWith("demo://resource/static/document/", uri, StringComparison.Ordinal));
        Assert.Empty(await client.ListResourceTemplatesAsync());

        var read = await client.ReadResourceAsync("demo://resource/static/document/architecture.md");
        Assert.NotEmpty(read.Contents);

        var denied = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync("demo://resource/static/document/startup.md").AsTask());
        Assert.Contains("startup notes are internal", denied.Message, StringComparison.Ordinal);

        // A hidden resource answers as a name the server does not have at its place: under the allowed prefix, in the
        // server's own words (the gateway asks it for a name it cannot have); one the policy never names is refused.
        var hidden = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://resource/static/document/instructions.md").AsTask());
        var unknown = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://resource/static/document/no-such.md").AsTask());
        Assert.Equal(unknown.ErrorCode, hidden.ErrorCode);
        Assert.Equal(unknown.Message.Replace("no-such.md", "NAME", StringComparison.Ordinal), hidden.Message.Replace("instructions.md", "NAME", StringComparison.Ordinal));
        Assert.DoesNotContain("mcpgw", hidden.Message, StringComparison.Ordinal);
        var unlisted = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync("demo://resource/dynamic/text/1").AsTask());
        Assert.Contains("this resource is not allowed by the policy (default: deny)", unlisted.Message, StringComparison.Ordinal);

        var subscribe = await Assert.ThrowsAnyAsync<McpException>(() => client.SubscribeToResourceAsync("demo://resource/dynamic/text/1"));
        Assert.Equal(unlisted.Message, subscribe.Message);

        // A URI the server could resolve out of the allowed prefix is refused by the gateway, before the upstream.
        var traversal = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync("demo://resource/static/document/../../dynamic/text/1").AsTask());
        Assert.Contains("the resource URI is not in normal form", traversal.Message, StringComparison.Ordinal);

        var prompts = (await client.ListPromptsAsync()).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["completable-prompt", "simple-prompt"], prompts);
        var prompt = await client.GetPromptAsync("simple-prompt");
        Assert.NotEmpty(prompt.Messages);

        var hiddenPrompt = await Assert.ThrowsAnyAsync<McpException>(() => client.GetPromptAsync("args-prompt", new Dictionary<string, object?> { ["city"] = "Paris" }).AsTask());
        var unlistedPrompt = await Assert.ThrowsAnyAsync<McpException>(() => client.GetPromptAsync("resource-prompt", new Dictionary<string, object?> { ["resourceType"] = "Text", ["resourceId"] = "1" }).AsTask());
        Assert.Contains("this prompt is not allowed by the policy (default: deny)", hiddenPrompt.Message, StringComparison.Ordinal);
        Assert.Equal(unlistedPrompt.Message, hiddenPrompt.Message);

        var completion = await client.CompleteAsync(new PromptReference { Name = "completable-prompt" }, "department", "Eng");
        Assert.Contains("Engineering", completion.Completion.Values);
        var hiddenCompletion = await Assert.ThrowsAnyAsync<McpException>(() => client.CompleteAsync(new PromptReference { Name = "args-prompt" }, "city", "Pa").AsTask());
        Assert.Equal(unlistedPrompt.Message, hiddenCompletion.Message);
        var templateCompletion = await Assert.ThrowsAnyAsync<McpException>(() =>
            client.CompleteAsync(new ResourceTemplateReference { Uri = "demo://resource/dynamic/text/{resourceId}" }, "resourceId", "1").AsTask());
        Assert.Equal(unlisted.Message, templateCompletion.Message);
    }

    [Fact]
    public async Task ResourceLimit_CountsReadsAndGivesBackThoseTheUpstreamRefused()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("everything", upstream.Url, DefaultDeny);
        await using var client = await gateway.ConnectAsync("everything");
        await client.ReadResourceAsync("demo://resource/static/document/features.md");
        await client.ReadResourceAsync("demo://resource/static/document/features.md");
        var third = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync("demo://resource/static/document/features.md").AsTask());
        Assert.Contains("rate limit \"features\" reached", third.Message, StringComparison.Ordinal);

        // Another resource counts in no limit of that one.
        Assert.NotEmpty((await client.ReadResourceAsync("demo://resource/static/document/architecture.md")).Contents);

        // A read the upstream answers with an error served nothing: its quota goes back, as a tool call's does.
        for (var i = 0; i < 3; i++)
        {
            var missing = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync("demo://resource/static/document/missing-1.md").AsTask());
            Assert.DoesNotContain("rate limit", missing.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Under default allow a name the server does not have reaches the server and gets its own answer: a hidden
    /// resource, prompt or subscription gets that answer too (the gateway asks the server for a name it cannot have
    /// in the hidden one's place), where before it got the gateway's own words, which told the two apart.
    /// </summary>
    [Fact]
    public async Task DefaultAllow_UnlistedAreOpen_HiddenAnswerAsTheServerAnswersUnknownOnes()
    {
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("everything", upstream.Url, """
            {"version":"1","default":"allow",
             "resources":{"demo://resource/dynamic/*":{"action":"hide"},"demo://resource/static/document/features.md":{"action":"hide"}},
             "prompts":{"args-prompt":{"action":"deny"},"resource-prompt":{"action":"hide"}}}
            """);
        await using var client = await gateway.ConnectAsync("everything");
        await using var direct = await CSharpClient.ConnectAsync(upstream.Url, "not-a-gateway-token");

        Assert.NotEmpty((await client.ReadResourceAsync("demo://resource/static/document/architecture.md")).Contents);
        Assert.Empty(await client.ListResourceTemplatesAsync());

        var hidden = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://resource/static/document/features.md").AsTask());
        var unknown = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://resource/static/document/no-such.md").AsTask());
        Assert.Equal(unknown.ErrorCode, hidden.ErrorCode);
        Assert.Equal(unknown.Message.Replace("no-such.md", "NAME", StringComparison.Ordinal), hidden.Message.Replace("features.md", "NAME", StringComparison.Ordinal));

        // A template's id: what the server itself says of an id it refuses (asked directly), under the hidden URI.
        var hiddenId = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.ReadResourceAsync("demo://resource/dynamic/text/1").AsTask());
        var refusedId = await Assert.ThrowsAnyAsync<McpProtocolException>(() => direct.ReadResourceAsync("demo://resource/dynamic/text/0").AsTask());
        Assert.Equal(refusedId.ErrorCode, hiddenId.ErrorCode);
        Assert.Equal(refusedId.Message.Replace("text/0", "text/1", StringComparison.Ordinal), hiddenId.Message);

        foreach (var dodge in new[] { "DEMO://resource/dynamic/text/1", "demo://resource/static/../dynamic/text/1", "demo://resource/dynamic%2Ftext/1" })
        {
            var refused = await Assert.ThrowsAnyAsync<McpException>(() => client.ReadResourceAsync(dodge).AsTask());
            Assert.Contains("the resource URI is not in normal form", refused.Message, StringComparison.Ordinal);
        }

        Assert.Contains("args-prompt", (await client.ListPromptsAsync()).Select(p => p.Name));
        var denied = await Assert.ThrowsAnyAsync<McpException>(() => client.GetPromptAsync("args-prompt", new Dictionary<string, object?> { ["city"] = "Paris" }).AsTask());
        Assert.Contains("prompt \"args-prompt\" is denied by policy", denied.Message, StringComparison.Ordinal);
        Assert.NotEmpty((await client.GetPromptAsync("simple-prompt")).Messages);
        var hiddenPrompt = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.GetPromptAsync("resource-prompt").AsTask());
        var unknownPrompt = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.GetPromptAsync("no-such-prompt").AsTask());
        Assert.Equal(unknownPrompt.ErrorCode, hiddenPrompt.ErrorCode);
        Assert.Equal(unknownPrompt.Message.Replace("no-such-prompt", "NAME", StringComparison.Ordinal), hiddenPrompt.Message.Replace("resource-prompt", "NAME", StringComparison.Ordinal));

        // server-everything accepts a subscription to any URI: so it does to the hidden one, without its name.
        await client.SubscribeToResourceAsync("demo://resource/static/document/no-such.md");
        await client.SubscribeToResourceAsync("demo://resource/static/document/features.md");

        Assert.All(new[] { hidden.Message, hiddenId.Message, hiddenPrompt.Message }, m => Assert.DoesNotContain("mcpgw", m, StringComparison.Ordinal));
    }
}

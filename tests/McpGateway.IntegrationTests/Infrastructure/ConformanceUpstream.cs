using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The 2025-11-25 suite exercises sampling, roots, logging and stateful sessions, which 2026-07-28 deprecates
// (SEP-2577, SEP-2567); this upstream serves both revisions on purpose.
#pragma warning disable MCP9005, MCP9006

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The upstream the official conformance suite is run against, written with the C# SDK (the suite's npm package
/// ships no server): the tools, resources, prompts, completion and logging its server scenarios document, for
/// both 2025-11-25 (initialize, sessions, server requests on the POST stream, SSE polling) and 2026-07-28
/// (stateless, server/discover, input_required, subscriptions/listen) on one endpoint, as the SDK's
/// <see cref="HttpServerSessionMode.StatefulForInitializeClients"/> serves them. Kestrel at 127.0.0.1.
/// </summary>
internal sealed class ConformanceUpstream : IAsyncDisposable
{
    private static readonly ConformanceTool ExtraTool = ConformanceTool.NoArguments("test_extra_tool", "Appears and disappears with test_trigger_tool_change", (_, _) => ValueTask.FromResult(ConformanceJson.Text("extra")));
    private static readonly ConformancePrompt ExtraPrompt = ConformancePrompt.Define("""{"name":"test_extra_prompt","description":"Appears and disappears with test_trigger_prompt_change"}""", _ => new GetPromptResult { Messages = [] });
    private static readonly string[] CompletionWords = ["paris", "park", "party", "test", "testing", "tested"];

    private readonly McpServerPrimitiveCollection<McpServerTool> _tools = [];
    private readonly McpServerPrimitiveCollection<McpServerPrompt> _prompts = [];
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConformanceTasks _tasks = new();
    private WebApplication? _app;

    private ConformanceUpstream()
    {
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The tasks extension's fixtures and what reached them.</summary>
    public ConformanceTasks Tasks => _tasks;

    /// <summary>The resource URIs clients are subscribed to right now (resources/subscribe, resources/unsubscribe).</summary>
    public IReadOnlyCollection<string> Subscriptions
    {
        get
        {
            lock (_subscriptions)
            {
                return [.. _subscriptions];
            }
        }
    }

    public static async Task<ConformanceUpstream> StartAsync()
    {
        var upstream = new ConformanceUpstream();
        foreach (var tool in ConformanceContentTools.All().Concat(ConformanceInteractionTools.All(upstream)).Concat(ConformanceInputRequiredTools.Tools(new SealedRequestState())).Concat(ConformanceTasks.Tools()))
        {
            upstream._tools.Add(tool);
        }

        foreach (var prompt in ConformancePrompts.All())
        {
            upstream._prompts.Add(prompt);
        }

        var builder = LoopbackApp.CreateBuilder();
        builder.Services.AddDistributedMemoryCache();
        builder.Services
            .AddMcpServer(upstream.Configure)
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients)
            // SEP-1699 polling needs somewhere to keep the events a client resumes after the server closed the stream.
            .WithDistributedCacheEventStreamStore();
        var app = builder.Build();
        upstream._app = app;
        app.Use(RejectRebindingAsync);
        app.MapMcp("/mcp");
        var address = await app.StartLoopbackAsync();
        upstream.Url = new Uri(address, "/mcp");
        return upstream;
    }

    /// <summary>Adds the extra tool, or removes it if present: a tools list change subscribers are told about.</summary>
    public void ToggleExtraTool()
    {
        if (!_tools.Remove(ExtraTool))
        {
            _tools.Add(ExtraTool);
        }
    }

    public void ToggleExtraPrompt()
    {
        if (!_prompts.Remove(ExtraPrompt))
        {
            _prompts.Add(ExtraPrompt);
        }
    }

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// dns-rebinding-protection: a server on localhost without authentication must refuse a Host or Origin that is
    /// not localhost (GHSA-w48q-cv73-mx4w), which the SDK's endpoint leaves to the application.
    /// </summary>
    private static Task RejectRebindingAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!IsLoopbackHost(context.Request.Host.Host) || (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host))))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static bool IsLoopbackHost(string host) => host is "localhost" or "127.0.0.1" or "[::1]" or "::1";

    private void Configure(McpServerOptions options)
    {
        options.ServerInfo = new Implementation { Name = "gateway-conformance-upstream", Version = "1.0.0" };
        options.ToolCollection = _tools;
        options.PromptCollection = _prompts;
        options.ResourceCollection = [.. ConformanceResources.All()];
        options.Capabilities = new ServerCapabilities
        {
            Logging = new(),
            Completions = new(),
            Tools = new() { ListChanged = true },
            Prompts = new() { ListChanged = true },
            Resources = new() { Subscribe = true, ListChanged = true },
        };
        options.Handlers.CompleteHandler = (request, _) =>
        {
            var prefix = request.Params?.Argument.Value ?? "";
            string[] values = [.. CompletionWords.Where(w => w.StartsWith(prefix, StringComparison.Ordinal))];
            return ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = values, Total = values.Length, HasMore = false } });
        };
        options.Handlers.SubscribeToResourcesHandler = (request, _) =>
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(request.Params?.Uri ?? "");
            }

            return ValueTask.FromResult(new EmptyResult());
        };
        options.Handlers.UnsubscribeFromResourcesHandler = (request, _) =>
        {
            lock (_subscriptions)
            {
                _subscriptions.Remove(request.Params?.Uri ?? "");
            }

            return ValueTask.FromResult(new EmptyResult());
        };
        options.Handlers.SetLoggingLevelHandler = (_, _) => ValueTask.FromResult(new EmptyResult());
        _tasks.Configure(options);
    }
}

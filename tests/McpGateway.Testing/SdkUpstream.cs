using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.Testing;

/// <summary>
/// An upstream MCP server built with the C# SDK (ModelContextProtocol.Core's streamable-HTTP server
/// transport, stateless), on Kestrel at 127.0.0.1. It speaks every revision including 2026-07-28
/// (server/discover), which server-everything does not, and it counts the tool calls that reach it so
/// tests can prove that refused requests never did. With <c>jsonResponses</c> it answers
/// <c>application/json</c> instead of SSE (<see cref="StatelessMcpEndpoint"/>).
/// </summary>
internal sealed class SdkUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Tool> _listedAlso = new();
    private WebApplication? _app;
    private McpServerOptions _options = null!;

    private SdkUpstream()
    {
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Headers of every POST that arrived, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> RequestHeaders { get; } = new();

    /// <summary>Raw bodies of every POST that arrived, in order.</summary>
    public ConcurrentQueue<string> RequestBodies { get; } = new();

    public int Calls(string tool) => _calls.TryGetValue(tool, out var n) ? n : 0;

    public int TotalCalls => _calls.Values.Sum();

    public static async Task<SdkUpstream> StartAsync(bool jsonResponses = false)
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        var upstream = new SdkUpstream { _app = app };
        var options = upstream.CreateOptions();
        upstream._options = options;

        app.MapPost("/mcp", async (HttpContext context) =>
        {
            context.Request.EnableBuffering();
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
            {
                upstream.RequestBodies.Enqueue(await reader.ReadToEndAsync(context.RequestAborted));
            }

            context.Request.Body.Position = 0;
            upstream.RequestHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

            await StatelessMcpEndpoint.HandleAsync(app.Services, options, context, jsonResponses);
        });

        // Stateless: no GET stream and no sessions to delete (MCP 2026-07-28).
        app.MapGet("/mcp", () => Results.StatusCode(405));
        app.MapDelete("/mcp", () => Results.StatusCode(405));

        var address = await app.StartLoopbackAsync();
        upstream.Url = new Uri(address, "/mcp");
        return upstream;
    }

    /// <summary>Adds the tool <paramref name="definitionJson"/> defines, or replaces the tool of that name (a changed definition).</summary>
    public void SetTool(string definitionJson)
    {
        var tool = DefinedTool.FromJson(definitionJson, Count);
        RemoveTool(tool.ProtocolTool.Name);
        _options.ToolCollection!.Add(tool);
    }

    /// <summary>Adds a tool written as a class of its own (one that answers in rounds, say).</summary>
    public void AddTool(McpServerTool tool) => _options.ToolCollection!.Add(tool);

    /// <summary>
    /// Lists <paramref name="definitionJson"/> besides the tool collection, and never calls it: the SDK keys
    /// its collection by name, so this is how the upstream lists a name twice, as a misconfigured server may.
    /// </summary>
    public void ListAlso(string definitionJson) =>
        _listedAlso.Enqueue(JsonSerializer.Deserialize<Tool>(definitionJson, McpJsonUtilities.DefaultOptions) ?? throw new ArgumentException("a tool definition", nameof(definitionJson)));

    public void RemoveTool(string name)
    {
        if (_options.ToolCollection!.TryGetPrimitive(name, out var existing))
        {
            _options.ToolCollection.Remove(existing);
        }
    }

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;

    private McpServerOptions CreateOptions() => new()
    {
        ServerInfo = new Implementation { Name = "gateway-test-upstream", Version = "1.0.0" },
        ScopeRequests = false,
        Handlers = new McpServerHandlers
        {
            // The SDK lists the tool collection together with what this handler returns.
            ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. _listedAlso] }),
        },
        ToolCollection =
        [
            McpServerTool.Create((string message) => { Count("echo"); return $"Echo: {message}"; }, new() { Name = "echo", Description = "Echoes the message" }),
            McpServerTool.Create((int a, int b) => { Count("add"); return (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture); }, new() { Name = "add", Description = "Adds two integers" }),
            McpServerTool.Create(string (string message) => { Count("secret"); return "secret: " + message; }, new() { Name = "secret", Description = "A tool policies hide" }),
            McpServerTool.Create(string (int amount) => { Count("charge"); return $"charged {amount}"; }, new() { Name = "charge", Description = "A tool policies limit by amount" }),
            McpServerTool.Create(async (int milliseconds, CancellationToken cancellationToken) => { Count("sleep"); await Task.Delay(milliseconds, cancellationToken); return "slept"; }, new() { Name = "sleep", Description = "Waits" }),
        ],
    };

    private void Count(string tool) => _calls.AddOrUpdate(tool, 1, (_, n) => n + 1);
}

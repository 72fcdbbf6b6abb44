using McpGateway.Performance.Fixtures;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.Performance.Servers;

/// <summary>
/// The upstream every path reaches: a minimal MCP server built with the C# SDK (<see cref="StatelessMcpEndpoint"/>,
/// as the integration tests' upstream serves it) with one trivial tool,
/// <c>write_note</c>, that answers with a short text whatever the size of its arguments. <c>/mcp/sse</c>
/// answers as the SDK writes (one SSE event per message); <c>/mcp/json</c> answers the same message as
/// <c>application/json</c>.
/// </summary>
internal sealed class McpUpstream : IAsyncDisposable
{
    private readonly KestrelApp _app;

    private McpUpstream(KestrelApp app) => _app = app;

    public Uri BaseUrl => _app.BaseUrl;

    public Uri Url(ResponseMode mode) => new(BaseUrl, mode == ResponseMode.Json ? "/mcp/json" : "/mcp/sse");

    public static async Task<McpUpstream> StartAsync(int port = 0)
    {
        var builder = KestrelApp.CreateBuilder(port);
        var web = builder.Build();
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "mcpgw-perf-upstream", Version = "1.0.0" },
            ScopeRequests = false,
            ToolCollection =
            [
                McpServerTool.Create(
                    (string title, string priority, string content) => $"stored {content.Length} characters",
                    new() { Name = BenchConfig.CalledTool, Description = "Stores a note" }),
            ],
        };

        web.MapPost("/mcp/json", context => StatelessMcpEndpoint.HandleAsync(web.Services, options, context, json: true));
        web.MapPost("/mcp/sse", context => StatelessMcpEndpoint.HandleAsync(web.Services, options, context, json: false));
        return new McpUpstream(await KestrelApp.StartAsync(web));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

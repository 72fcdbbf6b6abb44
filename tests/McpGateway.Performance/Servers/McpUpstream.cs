using McpGateway.Performance.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.Performance.Servers;

/// <summary>
/// The upstream every path reaches: a minimal MCP server built with the C# SDK (ModelContextProtocol.Core's
/// streamable-HTTP server transport, stateless, in plain ASP.NET Core) with one trivial tool,
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

        web.MapPost("/mcp/json", context => HandleAsync(web.Services, options, context, json: true));
        web.MapPost("/mcp/sse", context => HandleAsync(web.Services, options, context, json: false));
        return new McpUpstream(await KestrelApp.StartAsync(web));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>As the SDK's own <c>MapMcp</c> does for a stateless server: one server instance per request.</summary>
    private static async Task HandleAsync(IServiceProvider services, McpServerOptions options, HttpContext context, bool json)
    {
        var message = await context.Request.ReadFromJsonAsync<JsonRpcMessage>(McpJsonUtilities.DefaultOptions, context.RequestAborted);
        if (message is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var version = context.Request.Headers["MCP-Protocol-Version"].ToString();
        if (version.Length > 0)
        {
            message.Context = new JsonRpcMessageContext { ProtocolVersion = version };
        }

        var loggers = services.GetRequiredService<ILoggerFactory>();
        var transport = new StreamableHttpServerTransport(loggers) { Stateless = true };
        var server = McpServer.Create(transport, options, loggers, context.RequestServices);
        var run = server.RunAsync(context.RequestAborted);
        try
        {
            if (json)
            {
                using var buffer = new MemoryStream();
                if (!await transport.HandlePostRequestAsync(message, buffer, context.RequestAborted))
                {
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                    return;
                }

                context.Response.ContentType = "application/json";
                var data = LastData(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
                context.Response.ContentLength = data.Length;
                await context.Response.Body.WriteAsync(data, context.RequestAborted);
            }
            else
            {
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                if (!await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted))
                {
                    context.Response.ContentType = null;
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                }
            }
        }
        finally
        {
            await transport.DisposeAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }

            await server.DisposeAsync();
        }
    }

    /// <summary>The payload of the last <c>data:</c> line of an SSE frame: the response message.</summary>
    private static ReadOnlyMemory<byte> LastData(ReadOnlyMemory<byte> sse)
    {
        var span = sse.Span;
        var end = span.Length;
        while (end > 0)
        {
            var start = span[..end].LastIndexOf((byte)'\n') + 1;
            var line = span[start..end];
            if (line.StartsWith("data:"u8))
            {
                var raw = line[5..];
                var lead = raw.Length - raw.TrimStart((byte)' ').Length;
                var payload = raw[lead..].TrimEnd("\r "u8);
                if (!payload.IsEmpty)
                {
                    return sse.Slice(start + 5 + lead, payload.Length);
                }
            }

            end = start - 1;
        }

        throw new InvalidDataException("the SDK wrote no data line");
    }
}

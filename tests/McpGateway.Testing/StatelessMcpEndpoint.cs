using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.Testing;

/// <summary>
/// One POST to a stateless MCP server built with the C# SDK (ModelContextProtocol.Core's streamable-HTTP
/// server transport in plain ASP.NET Core), as the SDK's own <c>MapMcp</c> serves it: one server instance per
/// request. The SDK writes SSE frames; with <c>json</c> the single response message is re-framed as
/// <c>application/json</c>. Shared by the integration tests' <see cref="SdkUpstream"/> and the performance
/// harness's upstream, so both speak exactly what the SDK speaks.
/// </summary>
internal static class StatelessMcpEndpoint
{
    public static async Task HandleAsync(IServiceProvider services, McpServerOptions options, HttpContext context, bool json)
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

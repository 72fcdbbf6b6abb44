using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Configuration;
using McpGateway.Forwarding;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.Catalog;

/// <summary>
/// Reads a configured server's tools as an MCP client (the C# SDK: it probes 2026-07-28 with
/// <c>server/discover</c> and falls back to the <c>initialize</c> handshake), through
/// <see cref="ConfiguredServerHandler"/>, so the server's own headers and SigV4 signing apply exactly as for
/// forwarded calls. Used by the gateway (pins, schema checks) and by <c>mcpgw scan</c> and <c>mcpgw tools</c>.
/// </summary>
internal static class UpstreamToolLister
{
    /// <summary>
    /// A server that keeps handing out cursors is broken or hostile; 1,000 pages is far beyond any real tool
    /// list and still ends the read.
    /// </summary>
    public const int MaxPages = 1000;

    /// <summary>
    /// Every page of <paramref name="server"/>'s tools/list, sent through <paramref name="transport"/> (the gateway's
    /// <see cref="UpstreamClient"/>); <paramref name="actingFor"/> is the role session name for a server whose auth
    /// assumes a role, <paramref name="refusedHint"/> what a 401 or 403 message tells the operator to check.
    /// </summary>
    public static async Task<UpstreamToolList> ListAsync(
        ServerConfig server, HttpMessageInvoker transport, string actingFor, string clientName, TimeSpan timeout, CancellationToken cancellationToken,
        string refusedHint = "check the server's configured headers and auth")
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var display = DisplayUrl(server.Url);

        using var http = new HttpClient(new ConfiguredServerHandler(server, transport, actingFor), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var client = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = server.Url,
                TransportMode = HttpTransportMode.StreamableHttp,
                EnableStandaloneGetStream = false,
                ConnectionTimeout = timeout,
            },
            http,
            NullLoggerFactory.Instance,
            ownsHttpClient: false);

        try
        {
            await using var session = await McpClient.CreateAsync(
                client,
                new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = clientName, Version = typeof(UpstreamToolLister).Assembly.GetName().Version?.ToString() ?? "1.0" },
                    InitializationTimeout = timeout,
                },
                NullLoggerFactory.Instance,
                deadline.Token).ConfigureAwait(false);

            var tools = ImmutableArray.CreateBuilder<JsonElement>();
            var everyDefinition = ImmutableArray.CreateBuilder<JsonElement>();
            var duplicates = ImmutableArray.CreateBuilder<string>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var cursors = new HashSet<string>(StringComparer.Ordinal);
            string? cursor = null;
            var pages = 0;
            do
            {
                if (++pages > MaxPages)
                {
                    throw new ToolListException($"{display} returned more than {MaxPages} pages of tools/list; reading stopped");
                }

                var response = await session.SendRequestAsync(
                    new JsonRpcRequest { Method = RequestMethods.ToolsList, Params = cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = cursor } },
                    deadline.Token).ConfigureAwait(false);
                using var page = JsonDocument.Parse(response.Result?.ToJsonString() ?? "null");
                if (page.RootElement.ValueKind != JsonValueKind.Object ||
                    !page.RootElement.TryGetProperty("tools"u8, out var listed) || listed.ValueKind != JsonValueKind.Array)
                {
                    throw new ToolListException($"{display} answered tools/list without a tools array");
                }

                foreach (var tool in listed.EnumerateArray())
                {
                    if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
                    {
                        throw new ToolListException($"{display} listed a tool without a name");
                    }

                    var definition = tool.Clone();
                    everyDefinition.Add(definition);
                    if (!names.Add(name.GetString()!))
                    {
                        duplicates.Add(name.GetString()!);
                        continue;
                    }

                    tools.Add(definition);
                }

                cursor = page.RootElement.TryGetProperty("nextCursor"u8, out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                if (cursor is not null && !cursors.Add(cursor))
                {
                    throw new ToolListException($"{display} handed out the same tools/list cursor twice; reading stopped rather than loop");
                }
            }
            while (cursor is not null);

            return new UpstreamToolList(
                session.ServerInfo?.Name ?? "(unnamed)",
                session.ServerInfo?.Version,
                session.NegotiatedProtocolVersion ?? "unknown",
                pages,
                tools.ToImmutable(),
                everyDefinition.ToImmutable(),
                duplicates.ToImmutable());
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ToolListException($"{display} did not finish answering within {timeout.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or McpException or IOException or JsonException or TimeoutException or InvalidOperationException or ArgumentException or Aws.UpstreamSigningException)
        {
            throw new ToolListException(Describe(ex, display, refusedHint), ex);
        }
    }

    /// <summary>The URL as printed: without its query, which may hold a key.</summary>
    public static string DisplayUrl(Uri url) => url.GetLeftPart(UriPartial.Path) + (url.Query.Length > 0 ? " (query not shown)" : "");

    /// <summary>
    /// One line for the failure. The SDK wraps transport errors; the innermost HTTP or socket error is the one
    /// the operator can act on. Never the headers: they may hold the credentials.
    /// </summary>
    private static string Describe(Exception ex, string display, string refusedHint)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is Aws.UpstreamSigningException signing)
            {
                return signing.Message;
            }

            if (inner is HttpRequestException { StatusCode: { } status })
            {
                return status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? $"{display} refused the request with HTTP {(int)status} ({status}); {refusedHint}"
                    : $"{display} answered HTTP {(int)status} ({status}); is this the server's MCP endpoint?";
            }

            if (inner is SocketException socket)
            {
                return $"cannot reach {display}: {socket.Message}";
            }
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException http)
            {
                return $"cannot reach {display}: {OneLine(http.Message)}";
            }
        }

        return $"{display} did not behave as an MCP server: {OneLine(ex.Message)}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

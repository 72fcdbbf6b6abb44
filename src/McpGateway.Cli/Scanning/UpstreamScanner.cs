using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using McpGateway.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.Cli.Scanning;

/// <summary>
/// Connects to an upstream as an MCP client (the C# SDK: it probes 2026-07-28 with <c>server/discover</c> and
/// falls back to the <c>initialize</c> handshake), pages through <c>tools/list</c>, and classifies every tool.
/// </summary>
internal static class UpstreamScanner
{
    /// <summary>
    /// A server that keeps handing out cursors is broken or hostile; 1,000 pages is far beyond any real tool
    /// list and still ends the scan.
    /// </summary>
    public const int MaxPages = 1000;

    public static async Task<ScanResult> ScanAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(target.Timeout);

        // No redirects: the headers carry the upstream's credentials and must not follow a Location elsewhere.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = target.Url,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string>(target.Headers, StringComparer.OrdinalIgnoreCase),
                EnableStandaloneGetStream = false,
                ConnectionTimeout = target.Timeout,
            },
            http,
            NullLoggerFactory.Instance,
            ownsHttpClient: false);

        try
        {
            await using var client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "mcpgw-scan", Version = typeof(UpstreamScanner).Assembly.GetName().Version?.ToString() ?? "1.0" },
                    InitializationTimeout = target.Timeout,
                },
                NullLoggerFactory.Instance,
                deadline.Token).ConfigureAwait(false);

            var tools = new List<ScannedTool>();
            var duplicates = new List<string>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var cursors = new HashSet<string>(StringComparer.Ordinal);
            string? cursor = null;
            var pages = 0;
            do
            {
                if (++pages > MaxPages)
                {
                    throw new ScanException($"{target.DisplayUrl} returned more than {MaxPages} pages of tools/list; the scan stopped");
                }

                var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, deadline.Token).ConfigureAwait(false);
                foreach (var tool in page.Tools)
                {
                    if (!names.Add(tool.Name))
                    {
                        duplicates.Add(tool.Name);
                        continue;
                    }

                    tools.Add(new ScannedTool(tool, ToolClassifier.Classify(Definition(tool))));
                }

                cursor = page.NextCursor;
                if (cursor is not null && !cursors.Add(cursor))
                {
                    throw new ScanException($"{target.DisplayUrl} handed out the same tools/list cursor twice; the scan stopped rather than loop");
                }
            }
            while (cursor is not null);

            return new ScanResult(
                client.ServerInfo?.Name ?? "(unnamed)",
                client.ServerInfo?.Version,
                client.NegotiatedProtocolVersion ?? "unknown",
                pages,
                tools,
                duplicates);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ScanException($"{target.DisplayUrl} did not finish answering within {target.Timeout.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or McpException or IOException or JsonException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            throw new ScanException(Describe(ex, target));
        }
    }

    /// <summary>The definition the classifier reads, from the SDK's tool type.</summary>
    public static ToolDefinition Definition(Tool tool) => new(
        tool.Name,
        tool.Description,
        tool.InputSchema.ValueKind == JsonValueKind.Object ? tool.InputSchema : null,
        tool.Annotations is { } a ? new ToolHints(a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint) : null);

    /// <summary>
    /// One line for the failure. The SDK wraps transport errors; the innermost HTTP or socket error is the one
    /// the operator can act on. Never the headers: they may hold the credentials.
    /// </summary>
    private static string Describe(Exception ex, ScanTarget target)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { StatusCode: { } status })
            {
                return status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? $"{target.DisplayUrl} refused the request with HTTP {(int)status} ({status}); check --header/--bearer or the server's configured headers"
                    : $"{target.DisplayUrl} answered HTTP {(int)status} ({status}); is this the server's MCP endpoint?";
            }

            if (inner is SocketException socket)
            {
                return $"cannot reach {target.DisplayUrl}: {socket.Message}";
            }
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException http)
            {
                return $"cannot reach {target.DisplayUrl}: {OneLine(http.Message)}";
            }
        }

        return $"{target.DisplayUrl} did not behave as an MCP server: {OneLine(ex.Message)}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

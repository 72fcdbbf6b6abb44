using System.Net;
using McpGateway.Performance.Fixtures;

namespace McpGateway.Performance.Load;

/// <summary>
/// The load client: stateless MCP 2026-07-28 <c>tools/call</c> POSTs over one <see cref="HttpMessageInvoker"/>
/// whose pool allows a connection per worker. Every path gets the same request bytes and headers, the
/// grant token included (the pass-throughs forward it, the upstream ignores it), so the client's own cost
/// is the same whichever path is measured. An answer counts only if it is a 200 of the expected media
/// type carrying the tool's result, so a denial or an error can never pass for a fast call.
/// </summary>
internal sealed class ToolCallClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public ToolCallClient(int maxConnectionsPerServer)
    {
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = maxConnectionsPerServer,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    /// <summary>Sends one call and reads the whole answer into <paramref name="buffer"/>; returns null on success, else what was wrong.</summary>
    public async Task<string?> CallAsync(Uri url, ResponseMode mode, ToolCallPayload payload, string token, byte[] buffer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ByteArrayContent(payload.Body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
        request.Headers.TryAddWithoutValidation("Mcp-Name", BenchConfig.CalledTool);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

        using var response = await _invoker.SendAsync(request, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                return "the answer is larger than the client's buffer";
            }
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"HTTP {(int)response.StatusCode}: {Snippet(buffer, length)}";
        }

        var expected = mode == ResponseMode.Json ? "application/json" : "text/event-stream";
        if (!string.Equals(response.Content.Headers.ContentType?.MediaType, expected, StringComparison.OrdinalIgnoreCase))
        {
            return $"answered {response.Content.Headers.ContentType?.MediaType} instead of {expected}";
        }

        var body = buffer.AsSpan(0, length);
        return body.IndexOf("\"result\""u8) >= 0 && body.IndexOf("stored "u8) >= 0 && body.IndexOf("\"isError\":true"u8) < 0
            ? null
            : "not the tool's result: " + Snippet(buffer, length);
    }

    public void Dispose() => _invoker.Dispose();

    private static string Snippet(byte[] buffer, int length) => System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Min(length, 300));
}

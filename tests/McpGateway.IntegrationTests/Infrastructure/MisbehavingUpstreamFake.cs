using System.Collections.Concurrent;
using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A deliberately misbehaving MCP upstream, speaking HTTP/1.1 by hand over TCP on 127.0.0.1: foreign ids,
/// HTML error pages, broken or silent streams are exactly what no real MCP server can be made to send, so this
/// fake stands in for one (STYLE.md allows a fake of our own there). Each request gets its own connection
/// (<c>Connection: close</c>); the script chooses the answer by the tool the call names.
/// </summary>
internal sealed class MisbehavingUpstreamFake : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<FakeRequest, Task> _script;
    private readonly ConcurrentQueue<Task> _connections = new();
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Task _acceptLoop;

    public MisbehavingUpstreamFake(Func<FakeRequest, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/mcp");
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public Uri Url { get; }

    /// <summary>How many calls naming <paramref name="tool"/> reached the fake.</summary>
    public int Calls(string tool) => _calls.TryGetValue(tool, out var count) ? count : 0;

    /// <summary>The head of an HTTP/1.1 response that ends when the connection closes.</summary>
    public static string Head(int status, string? contentType, int? contentLength = null, bool chunked = false)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Scripted\r\nConnection: close\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (contentLength is { } length)
        {
            head.Append("Content-Length: ").Append(length).Append("\r\n");
        }

        if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
        }

        return head.Append("\r\n").ToString();
    }

    /// <summary>A complete response with a body of known length.</summary>
    public static string Whole(int status, string? contentType, string body) =>
        Head(status, contentType, Encoding.UTF8.GetByteCount(body)) + body;

    /// <summary>One HTTP chunk: a stream framed in chunks shows the gateway a drop as a drop, not as an end.</summary>
    public static string Chunk(string data) => $"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";

    public const string LastChunk = "0\r\n\r\n";

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(cancellationToken);
                _connections.Enqueue(ServeAsync(socket, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var body = await ReadRequestBodyAsync(stream, cancellationToken);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var tool = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            _calls.AddOrUpdate(tool, 1, (_, c) => c + 1);
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            var request = new FakeRequest(stream, socket, root.TryGetProperty("id", out var id) ? id.GetRawText() : "null", tool, method, cancellationToken);
            await _script(request);
            if (!request.Aborted)
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The gateway hung up, or the fake is stopping: either way this connection is done.
        }
    }

    private static async Task<byte[]> ReadRequestBodyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the request ended inside its head");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. received.Take(headEnd)]);
        var lengthLine = head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = received.Skip(headEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the request ended inside its body");
            }

            body.AddRange(buffer.AsSpan(0, read));
        }

        return [.. body];
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        while (_connections.TryDequeue(out var connection))
        {
            await connection;
        }

        _stop.Dispose();
    }
}

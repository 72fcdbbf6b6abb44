using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpGateway.Startup;

/// <summary>
/// A one-request HTTP/1.1 server on an ephemeral loopback port that answers with a canned body, for the
/// start-up warm-up: the gateway's real clients (the upstream client, the AWS SDK) send one request to it so
/// their first request to a real server finds their code compiled. It reads the request by its
/// Content-Length and closes the connection after answering. Never used on a request path.
/// </summary>
internal sealed class LoopbackAnswer : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    private LoopbackAnswer(string contentType, string body, CancellationToken cancellationToken)
    {
        _listener.Start(1);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        Served = AnswerOnceAsync(contentType, body, cancellationToken);
    }

    /// <summary>Where to send the one request.</summary>
    public Uri Url { get; }

    /// <summary>Completes once the answer is sent; faults if no well-formed request arrived.</summary>
    public Task Served { get; }

    public static LoopbackAnswer Start(string contentType, string body, CancellationToken cancellationToken) =>
        new(contentType, body, cancellationToken);

    public void Dispose() => _listener.Dispose();

    private async Task AnswerOnceAsync(string contentType, string body, CancellationToken cancellationToken)
    {
        using var socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        var received = new byte[MaxRequestBytes];
        var total = 0;
        var expected = -1;
        while (expected < 0 || total < expected)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0 || (total += read) == received.Length)
            {
                throw new InvalidDataException("the warm-up request ended early or was too large");
            }

            if (expected < 0 && received.AsSpan(0, total).IndexOf("\r\n\r\n"u8) is var end and >= 0)
            {
                expected = end + 4 + ContentLength(Encoding.ASCII.GetString(received, 0, end));
            }
        }

        var answer = Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n" +
            $"x-amzn-RequestId: warmup\r\nConnection: close\r\n\r\n{body}");
        await socket.SendAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

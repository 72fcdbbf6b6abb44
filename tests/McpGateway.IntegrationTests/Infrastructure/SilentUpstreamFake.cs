using System.Collections.Concurrent;
using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// An upstream that accepts TCP connections on 127.0.0.1 and never answers: no real MCP server can be
/// made to hang on purpose, so this fake stands in for one that is stuck (STYLE.md allows a fake of our
/// own exactly there). Accepted sockets are held open until dispose, so the gateway sees neither a
/// refusal nor a reset, only silence.
/// </summary>
internal sealed class SilentUpstreamFake : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Socket> _held = new();
    private readonly Task _acceptLoop;

    public SilentUpstreamFake()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/mcp");
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public Uri Url { get; }

    /// <summary>Connections accepted so far: proves the gateway got as far as connecting.</summary>
    public int AcceptedConnections => _held.Count;

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                _held.Enqueue(await _listener.AcceptSocketAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        while (_held.TryDequeue(out var socket))
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }
}

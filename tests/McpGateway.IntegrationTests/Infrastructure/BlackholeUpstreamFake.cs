using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A deliberately silent upstream: it accepts every connection on 127.0.0.1 and never answers, as a server that
/// hangs does; no real MCP server can be made to. It counts the connections it accepted.
/// </summary>
internal sealed class BlackholeUpstreamFake : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _accepting;
    private int _accepted;

    public BlackholeUpstreamFake()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/mcp");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            lock (_held)
            {
                _held.Add(client); // held open, read from never
            }
        }
    }
}

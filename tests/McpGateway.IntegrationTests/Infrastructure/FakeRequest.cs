using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>One request that reached the <see cref="MisbehavingUpstreamFake"/>, and the means to answer it badly.</summary>
internal sealed class FakeRequest(NetworkStream stream, Socket socket, string id, string tool, string method, CancellationToken stopping)
{
    /// <summary>The request's JSON-RPC id as raw JSON (<c>1</c>, <c>"a"</c>), to write into scripted answers.</summary>
    public string Id { get; } = id;

    /// <summary>The tool a tools/call names, else empty.</summary>
    public string Tool { get; } = tool;

    /// <summary>The request's method (<c>tools/call</c>, <c>subscriptions/listen</c>).</summary>
    public string Method { get; } = method;

    public bool Aborted { get; private set; }

    public async Task WriteAsync(string raw)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(raw), stopping);
        await stream.FlushAsync(stopping);
    }

    /// <summary>Says nothing more until the gateway hangs up or the fake stops: an upstream gone silent.</summary>
    public async Task HoldAsync()
    {
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, stopping) > 0)
        {
        }
    }

    /// <summary>Resets the connection: the stream drops mid-answer.</summary>
    public void Abort()
    {
        Aborted = true;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}

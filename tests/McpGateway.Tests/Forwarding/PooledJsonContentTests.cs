using McpGateway.Buffers;
using McpGateway.Forwarding;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// The upstream request body sent from a pooled buffer (issue 8): the bytes and length are the buffer's, and
/// the buffer goes back to the pool only when neither the request nor a send in progress still needs it.
/// </summary>
public sealed class PooledJsonContentTests
{
    private static PooledBufferWriter Buffer(string json)
    {
        var buffer = new PooledBufferWriter(16);
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
        return buffer;
    }

    [Fact]
    public async Task Send_WholeBuffer_CarriesItsLengthAndMediaType()
    {
        using var content = new PooledJsonContent(Buffer("""{"jsonrpc":"2.0","id":1}"""));
        using var sent = new MemoryStream();

        await content.CopyToAsync(sent);

        Assert.Equal("""{"jsonrpc":"2.0","id":1}""", Encoding.UTF8.GetString(sent.ToArray()));
        Assert.Equal(24, content.Headers.ContentLength);
        Assert.Equal("application/json", content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Dispose_NoSendRunning_ReturnsTheBuffer()
    {
        var buffer = Buffer("{}");
        var content = new PooledJsonContent(buffer);

        content.Dispose();

        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public async Task Dispose_SendStillRunning_KeepsTheBufferUntilItEnds()
    {
        var buffer = Buffer("""{"a":"b"}""");
        var content = new PooledJsonContent(buffer);
        var stream = new GatedStream();
        var sending = content.CopyToAsync(stream);
        await stream.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        content.Dispose();
        var heldDuringSend = buffer.WrittenCount;
        stream.Open.SetResult();
        await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(9, heldDuringSend);
        Assert.Equal(0, buffer.WrittenCount);
        Assert.Equal("""{"a":"b"}""", Encoding.UTF8.GetString(stream.Written.ToArray()));
    }

    [Fact]
    public async Task Send_AfterDispose_Refused()
    {
        var content = new PooledJsonContent(Buffer("{}"));
        content.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => content.CopyToAsync(new MemoryStream()));
    }

    /// <summary>A hand-made stream whose writes wait until the test opens it: a slow upstream socket.</summary>
    private sealed class GatedStream : MemoryStream
    {
        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MemoryStream Written { get; } = new();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteStarted.TrySetResult();
            await Open.Task.ConfigureAwait(false);

            // Copied only now: a buffer returned to the pool early would show here as missing bytes.
            Written.Write(buffer.Span);
        }
    }
}

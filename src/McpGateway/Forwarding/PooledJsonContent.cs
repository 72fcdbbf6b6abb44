using System.Net;
using McpGateway.Aws;
using McpGateway.Buffers;

namespace McpGateway.Forwarding;

/// <summary>
/// The re-serialised request as upstream content, straight from the pooled buffer it was written into
/// (issue 8: copying it out to a byte array was 16 KB of allocation per call with 16 KB of arguments).
/// </summary>
/// <remarks>
/// The buffer goes back to the pool when the content is disposed and no send is reading it. The handler may
/// still be sending the body when the request is disposed (an upstream that answers before reading it all);
/// then the send that finishes last returns it, so the pool never hands out bytes still being sent.
/// </remarks>
internal sealed class PooledJsonContent : HttpContent, ISignablePayload
{
    private PooledBufferWriter? _buffer;
    private int _holders = 1;
    private int _disposed;

    public PooledJsonContent(PooledBufferWriter buffer)
    {
        _buffer = buffer;
        Headers.TryAddWithoutValidation("Content-Type", "application/json");
    }

    /// <summary>What <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/> writes.</summary>
    public ReadOnlyMemory<byte> Payload => Volatile.Read(ref _buffer)?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!TryHold(), this);
        try
        {
            await stream.WriteAsync(_buffer!.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Volatile.Read(ref _buffer)?.WrittenCount ?? 0;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private bool TryHold()
    {
        var holders = Volatile.Read(ref _holders);
        while (holders > 0)
        {
            var seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
            if (seen == holders)
            {
                return true;
            }

            holders = seen;
        }

        return false;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            Interlocked.Exchange(ref _buffer, null)?.Dispose();
        }
    }
}

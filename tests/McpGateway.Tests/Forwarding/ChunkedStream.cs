namespace McpGateway.Tests.Forwarding;

/// <summary>A stream that never returns more than <c>chunk</c> bytes from one read: an upstream's body cut into arbitrary reads.</summary>
internal sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
{
    /// <summary>The read sizes a reader's tests cut a body into: whole, byte by byte, and sizes that split tokens.</summary>
    public static TheoryData<int> Sizes => [int.MaxValue, 1, 2, 3, 7, 16];

    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
}

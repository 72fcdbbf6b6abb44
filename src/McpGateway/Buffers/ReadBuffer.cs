using System.Buffers;

namespace McpGateway.Buffers;

/// <summary>The compaction the upstream readers share: one pooled array holding the bytes read but not yet taken.</summary>
internal static class ReadBuffer
{
    /// <summary>Moves the unread bytes (<paramref name="start"/> to <paramref name="end"/>) to the front, and doubles the array when they fill it.</summary>
    public static void MakeRoom(ref byte[] buffer, ref int start, ref int end)
    {
        var unread = end - start;
        if (start > 0)
        {
            buffer.AsSpan(start, unread).CopyTo(buffer);
            start = 0;
            end = unread;
        }

        if (end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}

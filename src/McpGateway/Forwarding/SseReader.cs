using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using McpGateway.Buffers;

namespace McpGateway.Forwarding;

/// <summary>
/// Reads server-sent events from an upstream response as they arrive (WHATWG HTML, "Server-sent
/// events", event stream interpretation). Lines end in CRLF, LF or CR; comments are dropped; an event is
/// bounded in size so a misbehaving upstream cannot make the gateway buffer without limit.
/// </summary>
/// <remarks>
/// The stream is read into one pooled array and an event's data collected in a pooled buffer that the next
/// event reuses: the PipeReader, its segments and its read state machine cost about 400 B per answer
/// (issue 8: allocations per proxied call). With <c>idle</c>, every read from the stream restarts that source's
/// countdown, so it fires only when the upstream sent no byte at all for <c>idleTimeout</c> (issue 16); the caller
/// reads with its token.
/// </remarks>
internal sealed class SseReader(Stream stream, int maxEventBytes, CancellationTokenSource? idle = null, TimeSpan idleTimeout = default) : IAsyncDisposable
{
    private const int ReadBytes = 16 * 1024;

    private readonly PooledBufferWriter _data = new(1024);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>The next event, or null at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        var fields = default(Fields);
        _data.Clear();

        while (true)
        {
            if (TakeEvent(ref fields))
            {
                return new SseEvent(fields.EventType, fields.Id, fields.Retry, _data.WrittenMemory, fields.HasData);
            }

            if (_ended)
            {
                // A stream that ends without the blank line still delivered its last event's fields;
                // the specification discards such an incomplete event, and so do we.
                return null;
            }

            ReadBuffer.MakeRoom(ref _buffer, ref _start, ref _end);
            idle?.CancelAfter(idleTimeout);
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
            }

            _end += read;
        }
    }

    public ValueTask DisposeAsync()
    {
        _data.Dispose();
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Applies the complete lines read so far; true when a blank line ended an event with fields.</summary>
    private bool TakeEvent(ref Fields fields)
    {
        while (true)
        {
            var unread = _buffer.AsSpan(_start, _end - _start);
            var lineEnd = unread.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0)
            {
                if (unread.Length > maxEventBytes)
                {
                    throw new InvalidDataException($"an upstream event line exceeded {maxEventBytes} bytes");
                }

                return false;
            }

            var terminator = 1;
            if (unread[lineEnd] == (byte)'\r')
            {
                // A CR that ends what was read may be the first half of a CRLF: the next read tells.
                if (lineEnd + 1 == unread.Length && !_ended)
                {
                    return false;
                }

                if (lineEnd + 1 < unread.Length && unread[lineEnd + 1] == (byte)'\n')
                {
                    terminator = 2;
                }
            }

            var line = unread[..lineEnd];
            _start += lineEnd + terminator;
            if (line.IsEmpty)
            {
                if (fields.AnyField)
                {
                    return true;
                }

                continue;
            }

            fields.AnyField |= Apply(line, ref fields.EventType, ref fields.Id, ref fields.Retry, ref fields.HasData);
            if (_data.WrittenCount > maxEventBytes)
            {
                throw new InvalidDataException($"an upstream event exceeded {maxEventBytes} bytes");
            }
        }
    }


    private bool Apply(ReadOnlySpan<byte> span, ref string? eventType, ref string? id, ref int? retry, ref bool hasData)
    {
        if (span[0] == (byte)':')
        {
            return false;
        }

        var colon = span.IndexOf((byte)':');
        var field = colon < 0 ? span : span[..colon];
        var value = colon < 0 ? [] : span[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (hasData)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            // MCP servers name every event "message"; that one needs no new string.
            eventType = value.SequenceEqual("message"u8) ? "message" : Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("id"u8))
        {
            // An id containing NUL is ignored by the specification.
            if (value.IndexOf((byte)0) < 0)
            {
                id = Encoding.UTF8.GetString(value);
            }
        }
        else if (field.SequenceEqual("retry"u8))
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
            {
                retry = milliseconds;
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    private struct Fields
    {
        public string? EventType;
        public string? Id;
        public int? Retry;
        public bool HasData;
        public bool AnyField;
    }
}

using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using McpGateway.Protocol;

namespace McpGateway.Forwarding;

/// <summary>
/// Reads server-sent events from an upstream response as they arrive (WHATWG HTML, "Server-sent
/// events", event stream interpretation). Lines end in LF or CRLF; comments are dropped; an event is
/// bounded in size so a misbehaving upstream cannot make the gateway buffer without limit. An event's data
/// is collected in a pooled buffer that the next event reuses (issue 8: allocations per proxied call).
/// </summary>
internal sealed class SseReader(Stream stream, int maxEventBytes) : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, leaveOpen: true);

    private readonly PipeReader _reader = PipeReader.Create(stream, ReaderOptions);
    private readonly PooledBufferWriter _data = new(1024);

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        string? eventType = null;
        string? id = null;
        int? retry = null;
        var hasData = false;
        var anyField = false;
        _data.Clear();

        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                if (line.IsEmpty)
                {
                    if (anyField)
                    {
                        _reader.AdvanceTo(buffer.Start);
                        return new SseEvent(eventType, id, retry, _data.WrittenMemory, hasData);
                    }

                    continue;
                }

                anyField |= Apply(line, ref eventType, ref id, ref retry, ref hasData);
                if (_data.WrittenCount > maxEventBytes)
                {
                    throw new InvalidDataException($"an upstream event exceeded {maxEventBytes} bytes");
                }
            }

            if (buffer.Length > maxEventBytes)
            {
                throw new InvalidDataException($"an upstream event line exceeded {maxEventBytes} bytes");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                // A stream that ends without the blank line still delivered its last event's fields;
                // the specification discards such an incomplete event, and so do we.
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        _data.Dispose();
    }

    private bool Apply(ReadOnlySequence<byte> line, ref string? eventType, ref string? id, ref int? retry, ref bool hasData)
    {
        var span = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
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

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        if (!line.IsEmpty && EndsWithCarriageReturn(line))
        {
            line = line.Slice(0, line.Length - 1);
        }

        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }
}

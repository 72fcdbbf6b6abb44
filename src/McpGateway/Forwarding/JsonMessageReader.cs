using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using McpGateway.Buffers;
using McpGateway.Protocol;

namespace McpGateway.Forwarding;

/// <summary>
/// Reads an <c>application/json</c> answer one top-level JSON value at a time, as each one completes: a
/// 2026-07-28 server may answer a request with several messages in one JSON body (progress, then the result;
/// a <c>subscriptions/listen</c> stream), and each must reach the client when it arrives, not when the body ends.
/// </summary>
/// <remarks>
/// Values may be separated by any JSON whitespace (servers write one per line). The scan resumes where the last
/// read stopped (Utf8JsonReader's saved state), so a value arriving in small pieces is tokenised once. A value is
/// bounded in size, and once silences are watched every read restarts the idle countdown, as <see cref="SseReader"/> does.
/// </remarks>
internal sealed class JsonMessageReader(Stream stream, int maxMessageBytes) : IAsyncDisposable
{
    private const int ReadBytes = 16 * 1024;
    private static readonly JsonReaderOptions Options = new() { MaxDepth = JsonRpcParser.MaxDepth };

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
    private int _start;
    private int _scanned;
    private int _end;
    private bool _ended;
    private JsonReaderState _state = new(Options);
    private CancellationTokenSource? _idle;
    private TimeSpan _idleTimeout;

    /// <summary>From now on, every read restarts <paramref name="idle"/>'s countdown of <paramref name="timeout"/>.</summary>
    public void WatchSilences(CancellationTokenSource idle, TimeSpan timeout) => (_idle, _idleTimeout) = (idle, timeout);

    /// <summary>The bytes of the next complete value, valid until the next read; null when the body ended between values.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TakeValue(out var value))
            {
                return value;
            }

            if (_ended)
            {
                if (_buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
                {
                    return null;
                }

                throw new InvalidDataException("the upstream's JSON body ended inside a message");
            }

            ReadBuffer.MakeRoom(ref _buffer, ref _start, ref _end);
            _idle?.CancelAfter(_idleTimeout);
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _ended = read == 0;
            _end += read;
        }
    }

    public ValueTask DisposeAsync()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Scans the unread bytes from where the last scan stopped; true when a whole value lies in them.</summary>
    private bool TakeValue(out ReadOnlyMemory<byte> value)
    {
        value = default;
        var unscanned = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned);
        if (_scanned == 0 && unscanned.Trim(" \t\r\n"u8).IsEmpty)
        {
            // Only whitespace so far: the reader would call a final block of it invalid JSON.
            return false;
        }

        var reader = new Utf8JsonReader(unscanned, _ended, _state);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                var end = _start + _scanned + (int)reader.BytesConsumed;
                if (_buffer.AsSpan(_start, end - _start).TrimStart(" \t\r\n"u8).Length > maxMessageBytes)
                {
                    // The read that completes a message can carry it past the bound as well as the ones before it.
                    throw new InvalidDataException($"an upstream message exceeded {maxMessageBytes} bytes");
                }

                value = _buffer.AsMemory(_start, end - _start);
                (_start, _scanned, _state) = (end, 0, new JsonReaderState(Options));
                return true;
            }
        }

        _scanned += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        if (_buffer.AsSpan(_start, _end - _start).TrimStart(" \t\r\n"u8).Length > maxMessageBytes)
        {
            throw new InvalidDataException($"an upstream message exceeded {maxMessageBytes} bytes");
        }

        return false;
    }
}

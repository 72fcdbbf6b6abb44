using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpGateway.Buffers;

namespace McpGateway.Forwarding;

/// <summary>
/// Writes server-sent events to the client, one at a time, flushing after each so that progress
/// notifications reach the agent as they happen rather than when the stream ends.
/// </summary>
internal sealed class SseWriter(PipeWriter output)
{
    public void WriteFields(string? eventType, string? id, int? retry)
    {
        if (eventType is not null)
        {
            WriteLine("event: "u8, eventType);
        }

        if (id is not null)
        {
            WriteLine("id: "u8, id);
        }

        if (retry is { } milliseconds)
        {
            WriteLine("retry: "u8, milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Writes one event whose data is a JSON message written by <paramref name="writeJson"/>.</summary>
    /// <remarks>The state is passed through rather than captured, so a static callback costs no closure per event.</remarks>
    public ValueTask<FlushResult> WriteJsonEventAsync<TState>(string? eventType, string? id, int? retry, TState state, Action<Utf8JsonWriter, TState> writeJson, CancellationToken cancellationToken)
    {
        WriteFields(eventType, id, retry);
        output.Write("data: "u8);

        // Compact JSON has no raw newlines (they are escaped inside strings), so one data line suffices.
        var writer = JsonWriterCache.Rent(output);
        try
        {
            writeJson(writer, state);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        output.Write("\n\n"u8);
        return output.FlushAsync(cancellationToken);
    }

    /// <summary>Writes an event without data (MCP's priming event carries only an id).</summary>
    public ValueTask<FlushResult> WriteEmptyEventAsync(string? eventType, string? id, int? retry, CancellationToken cancellationToken)
    {
        WriteFields(eventType, id, retry);
        output.Write("data:\n\n"u8);
        return output.FlushAsync(cancellationToken);
    }

    private void WriteLine(ReadOnlySpan<byte> field, string value)
    {
        output.Write(field);

        // Field values cannot carry line breaks; an upstream that sends one would split the event.
        var text = value.AsSpan().ContainsAny('\r', '\n')
            ? value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
            : value;
        var written = Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        output.Advance(written);
        output.Write("\n"u8);
    }
}

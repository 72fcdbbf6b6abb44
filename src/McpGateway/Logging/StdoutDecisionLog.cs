using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpGateway.Buffers;

namespace McpGateway.Logging;

/// <summary>
/// Writes each decision as one JSON line on standard output. Each line, newline included, leaves in one
/// write under a lock, so concurrent requests never interleave within a line, and a line shorter than the
/// pipe's atomic size (4 KB on Linux) is not split even among processes sharing the pipe.
/// </summary>
internal sealed class StdoutDecisionLog : IDecisionLog, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(DecisionLogEntry entry) => WriteLine(entry, DecisionLogJsonContext.Default.DecisionLogEntry);

    public void Write(ApprovalLogEntry entry) => WriteLine(entry, DecisionLogJsonContext.Default.ApprovalLogEntry);

    public void Dispose() => _stdout.Dispose();

    /// <summary>
    /// Serialises into pooled bytes and writes once: one system call per tools/call instead of two, and no
    /// array per line (issue 8: under load the newline's own write was a system call on every proxied call).
    /// </summary>
    private void WriteLine<T>(T entry, JsonTypeInfo<T> type)
    {
        using var line = new PooledBufferWriter(1024);
        Format(line, entry, type);
        lock (_gate)
        {
            _stdout.Write(line.WrittenSpan);
            _stdout.Flush();
        }
    }

    /// <summary>One log line, newline included, as it is written (the start-up warm-up formats one too).</summary>
    internal static void Format<T>(PooledBufferWriter line, T entry, JsonTypeInfo<T> type)
    {
        // A cached writer writes with the default encoder, unindented: what the log's contexts ask for.
        var options = type.Options;
        var cached = options.Encoder is null && !options.WriteIndented;
        var writer = cached
            ? JsonWriterCache.Rent(line)
            : new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented });
        try
        {
            JsonSerializer.Serialize(writer, entry, type);
            writer.Flush();
        }
        finally
        {
            if (cached)
            {
                JsonWriterCache.Return(writer);
            }
            else
            {
                writer.Dispose();
            }
        }

        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpGateway.Buffers;
using McpGateway.Metrics;

namespace McpGateway.Logging;

/// <summary>
/// Writes each decision as one JSON line on standard output. Each line, newline included, leaves in one
/// write under a lock, so concurrent requests never interleave within a line, and a line shorter than the
/// pipe's atomic size (4 KB on Linux) is not split even among processes sharing the pipe. With
/// <paramref name="emf"/>, each decision line is also a CloudWatch EMF document (issue 18).
/// </summary>
internal sealed class StdoutDecisionLog(EmfWriter? emf = null) : IDecisionLog, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(DecisionLogEntry entry)
    {
        if (emf is null)
        {
            WriteLine(entry, DecisionLogJsonContext.Default.DecisionLogEntry);
            return;
        }

        using var line = new PooledBufferWriter(2048);
        FormatWithMetrics(line, entry, emf);
        WriteOut(line);
    }

    public void Write(ApprovalLogEntry entry) => WriteLine(entry, DecisionLogJsonContext.Default.ApprovalLogEntry);

    public void Write(PolicyModeLogEntry entry) => WriteLine(entry, DecisionLogJsonContext.Default.PolicyModeLogEntry);

    public void Write(ToolDriftLogEntry entry) => WriteLine(entry, DecisionLogJsonContext.Default.ToolDriftLogEntry);

    public void Dispose() => _stdout.Dispose();

    /// <summary>
    /// Serialises into pooled bytes and writes once: one system call per tools/call instead of two, and no
    /// array per line (issue 8: under load the newline's own write was a system call on every proxied call).
    /// </summary>
    private void WriteLine<T>(T entry, JsonTypeInfo<T> type)
    {
        using var line = new PooledBufferWriter(1024);
        Format(line, entry, type);
        WriteOut(line);
    }

    private void WriteOut(PooledBufferWriter line)
    {
        lock (_gate)
        {
            _stdout.Write(line.WrittenSpan);
            _stdout.Flush();
        }
    }

    /// <summary>A decision line that is also an EMF document, newline included (the start-up warm-up formats one too).</summary>
    internal static void FormatWithMetrics(PooledBufferWriter line, DecisionLogEntry entry, EmfWriter emf)
    {
        Serialize(line, entry, DecisionLogJsonContext.Default.DecisionLogEntry);
        var counts = CallCounts.For(entry.Outcome, entry.StoreError is not null);
        // ShadowDenied (issue 17): a call that went on but that a shadowed rule or limit would have refused.
        emf.Append(line, entry.Time, entry.Server, entry.MetricTool, counts, entry.Shadow is not null, entry.LatencyMs, entry.UpstreamLatencyMs);
        EndLine(line);
    }

    /// <summary>One log line, newline included, as it is written (the start-up warm-up formats one too).</summary>
    internal static void Format<T>(PooledBufferWriter line, T entry, JsonTypeInfo<T> type)
    {
        Serialize(line, entry, type);
        EndLine(line);
    }

    private static void Serialize<T>(PooledBufferWriter line, T entry, JsonTypeInfo<T> type)
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
    }

    private static void EndLine(PooledBufferWriter line)
    {
        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
    }
}

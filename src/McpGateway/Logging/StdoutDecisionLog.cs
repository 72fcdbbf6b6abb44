using System.Text.Json;

namespace McpGateway.Logging;

/// <summary>
/// Writes each decision as one JSON line on standard output. Lines are written whole under a lock so
/// concurrent requests never interleave within a line.
/// </summary>
internal sealed class StdoutDecisionLog : IDecisionLog, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(DecisionLogEntry entry) => WriteLine(JsonSerializer.SerializeToUtf8Bytes(entry, DecisionLogJsonContext.Default.DecisionLogEntry));

    public void Write(ApprovalLogEntry entry) => WriteLine(JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.ApprovalLogEntry));

    private void WriteLine(byte[] line)
    {
        lock (_gate)
        {
            _stdout.Write(line);
            _stdout.Write("\n"u8);
            _stdout.Flush();
        }
    }

    public void Dispose() => _stdout.Dispose();
}

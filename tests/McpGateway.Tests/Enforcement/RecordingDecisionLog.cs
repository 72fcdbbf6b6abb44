using System.Collections.Concurrent;
using McpGateway.Logging;

namespace McpGateway.Tests.Enforcement;

/// <summary>The decision log as values, so a test reads what the gateway decided without parsing its standard output.</summary>
internal sealed class RecordingDecisionLog : IDecisionLog
{
    private readonly ConcurrentQueue<DecisionLogEntry> _decisions = new();

    public void Write(DecisionLogEntry entry) => _decisions.Enqueue(entry);

    public void Write(ApprovalLogEntry entry)
    {
    }

    public void Write(PolicyModeLogEntry entry)
    {
    }

    public void Write(ToolDriftLogEntry entry)
    {
    }

    /// <summary>
    /// The first <paramref name="count"/> decisions, once that many are written; polls with a deadline, since a
    /// streamed answer's line may follow the client's last byte.
    /// </summary>
    public async Task<IReadOnlyList<DecisionLogEntry>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_decisions.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} decision lines, got {_decisions.Count}");
            await Task.Delay(10);
        }

        return _decisions.Take(count).ToList();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace McpGateway.Performance.Profiling;

/// <summary>
/// Samples allocations by type in this process through the runtime's own events: the GC raises
/// <c>GCAllocationTick</c> about every 100 KB allocated, naming the type whose allocation crossed the mark,
/// so the ticks per type are proportional to the bytes allocated of that type.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytes.Clear();
        _recording = true;
    }

    /// <summary>Sampled bytes by type since <see cref="Start"/>.</summary>
    public Dictionary<string, long> Stop()
    {
        _recording = false;
        return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName");
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0)
        {
            return;
        }

        var name = eventData.Payload![type] as string ?? "?";
        var bytes = Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(name, bytes, (_, total) => total + bytes);
    }
}

using System.Diagnostics;

namespace McpGateway.Performance.Load;

/// <summary>All phases of one path in one scenario, merged: latency percentiles over every call, and rates over every phase.</summary>
internal sealed class PathStats
{
    private readonly List<PhaseResult> _phases = [];
    private long[]? _sorted;

    public void Add(PhaseResult phase)
    {
        _phases.Add(phase);
        _sorted = null;
    }

    public long Requests => _phases.Sum(p => p.Requests);

    public long Errors => _phases.Sum(p => p.Errors);

    public string? FirstError => _phases.Select(p => p.FirstError).FirstOrDefault(e => e is not null);

    public double Seconds => _phases.Sum(p => p.Seconds);

    /// <summary>Completed calls per second of measured time.</summary>
    public double Throughput => Requests / Seconds;

    /// <summary>Bytes the whole process allocated per call (client, proxy, upstream).</summary>
    public double AllocatedPerRequest => (double)_phases.Sum(p => p.AllocatedBytes) / Requests;

    /// <summary>CPU time the whole harness process spent per call, in microseconds.</summary>
    public double CpuMicrosPerRequest => _phases.Sum(p => p.CpuSeconds) * 1e6 / Requests;

    /// <summary>CPU time of the path's helper process (dynalite) per call, in microseconds.</summary>
    public double ExternalCpuMicrosPerRequest => _phases.Sum(p => p.ExternalCpuSeconds) * 1e6 / Requests;

    public double PercentileMicros(double percentile)
    {
        _sorted ??= Sorted();
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        // Nearest rank: the smallest latency at or above which `percentile` of the calls lie.
        var rank = (int)Math.Ceiling(percentile / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)] * 1e6 / Stopwatch.Frequency;
    }

    private long[] Sorted()
    {
        var all = new long[Requests];
        var offset = 0;
        foreach (var phase in _phases)
        {
            phase.Latencies.CopyTo(all, offset);
            offset += phase.Latencies.Length;
        }

        Array.Sort(all);
        return all;
    }
}

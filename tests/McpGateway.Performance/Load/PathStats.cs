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

    /// <summary>
    /// Bytes the whole process allocated per call (client, proxy, upstream): the median over phases. Under
    /// server GC the runtime's allocated-bytes total was seen to jump, even backwards, in the odd phase (most
    /// likely while the GC's dynamic adaptation, on by default since .NET 9, changed its number of heaps);
    /// the median of three or more phases ignores such a phase, where a sum over phases would not.
    /// </summary>
    public double AllocatedPerRequest => Median(_phases.Select(p => (double)p.AllocatedBytes / Math.Max(1, p.Requests)));

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

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
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

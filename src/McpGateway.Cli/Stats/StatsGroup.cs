namespace McpGateway.Cli.Stats;

/// <summary>The calls of one group (a tool, a grant or a server) in the decision log.</summary>
internal sealed class StatsGroup(string key)
{
    private readonly List<double> _latencies = [];

    public string Key { get; } = key;
    public int Calls { get; private set; }
    public int Forwarded { get; private set; }
    public int Denied { get; private set; }
    public int RateLimited { get; private set; }
    public int Approvals { get; private set; }
    public int UpstreamFailed { get; private set; }
    public int StoreErrors { get; private set; }

    public void Add(string outcome, bool storeError, double? latencyMs)
    {
        Calls++;
        var parsed = CallOutcomes.Parse(outcome);
        var counts = McpGateway.Metrics.CallCounts.For(parsed, storeError);
        Forwarded += parsed == CallOutcome.Forwarded ? 1 : 0;
        Denied += counts.Denied ? 1 : 0;
        RateLimited += counts.RateLimited ? 1 : 0;
        Approvals += counts.ApprovalRequired ? 1 : 0;
        UpstreamFailed += counts.UpstreamError ? 1 : 0;
        StoreErrors += counts.StoreError ? 1 : 0;
        if (latencyMs is { } latency)
        {
            _latencies.Add(latency);
        }
    }

    public void AddAll(StatsGroup other)
    {
        Calls += other.Calls;
        Forwarded += other.Forwarded;
        Denied += other.Denied;
        RateLimited += other.RateLimited;
        Approvals += other.Approvals;
        UpstreamFailed += other.UpstreamFailed;
        StoreErrors += other.StoreErrors;
        _latencies.AddRange(other._latencies);
    }

    /// <summary>The nearest-rank percentile of the group's latencies (the smallest value at or above that share); null without any.</summary>
    public double? Percentile(double percent)
    {
        if (_latencies.Count == 0)
        {
            return null;
        }

        _latencies.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * _latencies.Count);
        return _latencies[Math.Clamp(rank, 1, _latencies.Count) - 1];
    }
}

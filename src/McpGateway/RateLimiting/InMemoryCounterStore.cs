using System.Collections.Immutable;
using McpGateway.Policy;

namespace McpGateway.RateLimiting;

/// <summary>
/// Counters in process memory, for local runs and single-instance use. Exact under concurrency: every
/// reservation checks and takes all its counters under one lock, so N concurrent calls against a max
/// of M admit exactly min(N, M). A counter created in a window starts from its seed's use, under the same
/// lock. Counters of windows that have ended are swept as time passes.
/// </summary>
internal sealed class InMemoryCounterStore(TimeProvider time) : ICounterStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public ValueTask<ReservationOutcome> ReserveAsync(ImmutableArray<LimitReservation> limits, CancellationToken cancellationToken)
    {
        if (limits.IsEmpty)
        {
            return ValueTask.FromResult(ReservationOutcome.Empty);
        }

        lock (_gate)
        {
            SweepExpired();
            foreach (var limit in limits)
            {
                var used = Used(limit);
                if (used + limit.Increment > limit.Limit.Max)
                {
                    return ValueTask.FromResult(new ReservationOutcome(ReservationStatus.LimitExceeded, [], limit, used));
                }
            }

            foreach (var limit in limits)
            {
                _counters[limit.Key] = new Counter(Used(limit) + limit.Increment, limit.WindowEnd);
            }
        }

        return ValueTask.FromResult(new ReservationOutcome(ReservationStatus.Reserved, limits));
    }

    public ValueTask RollbackAsync(ImmutableArray<LimitReservation> reserved, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var limit in reserved)
            {
                if (_counters.TryGetValue(limit.Key, out var counter))
                {
                    _counters[limit.Key] = counter with { Count = Math.Max(0, counter.Count - limit.Increment) };
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Current use of a counter (tests and diagnostics).</summary>
    public long CurrentUse(string key)
    {
        lock (_gate)
        {
            return _counters.TryGetValue(key, out var counter) ? counter.Count : 0;
        }
    }

    /// <summary>The counter's use, or for one not yet created in its window, its seed's (see <see cref="LimitReservation.SeedKey"/>).</summary>
    private long Used(in LimitReservation limit)
    {
        if (_counters.TryGetValue(limit.Key, out var counter))
        {
            return counter.Count;
        }

        return limit.SeedKey is { } seed && _counters.TryGetValue(seed, out var twin) ? twin.Count : 0;
    }

    private void SweepExpired()
    {
        var now = time.GetUtcNow();
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now.AddSeconds(30);
        foreach (var (key, counter) in _counters)
        {
            if (counter.WindowEnd <= now)
            {
                _counters.Remove(key);
            }
        }
    }

    private readonly record struct Counter(long Count, DateTimeOffset WindowEnd);
}

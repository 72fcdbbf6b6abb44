using System.Collections.Immutable;
using McpGateway.Policy;

namespace McpGateway.RateLimiting;

/// <summary>
/// Where rate-limit counters live. A reservation takes every limit of a call or none of them, and never
/// lets a counter exceed its max; a rollback returns what a failed call took (issue 3, issue 4).
/// </summary>
internal interface ICounterStore
{
    /// <summary>Reserves <paramref name="limits"/> (already in a fixed key order) all or nothing.</summary>
    ValueTask<ReservationOutcome> ReserveAsync(ImmutableArray<LimitReservation> limits, CancellationToken cancellationToken);

    /// <summary>Gives back what <see cref="ReserveAsync"/> took for a call whose upstream call failed.</summary>
    ValueTask RollbackAsync(ImmutableArray<LimitReservation> reserved, CancellationToken cancellationToken);
}

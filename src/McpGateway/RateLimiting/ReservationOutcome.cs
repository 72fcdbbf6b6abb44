using System.Collections.Immutable;
using McpGateway.Policy;

namespace McpGateway.RateLimiting;

/// <summary>How a reservation ended.</summary>
internal enum ReservationStatus
{
    /// <summary>Every limit was reserved (or skipped under <c>on_store_error: allow</c>).</summary>
    Reserved,

    /// <summary>A limit had no room; nothing is held.</summary>
    LimitExceeded,

    /// <summary>The store could not answer for a limit that fails closed; nothing is held.</summary>
    StoreUnavailable,
}

/// <summary>
/// The result of <see cref="ICounterStore.ReserveAsync"/>. <see cref="Reserved"/> lists what was actually
/// taken, which is what a rollback must return; <see cref="Failed"/> names the limit that refused.
/// </summary>
internal sealed record ReservationOutcome(
    ReservationStatus Status,
    ImmutableArray<LimitReservation> Reserved,
    LimitReservation? Failed = null,
    long? CurrentUse = null,
    string? StoreError = null)
{
    public static ReservationOutcome Empty { get; } = new(ReservationStatus.Reserved, []);
}

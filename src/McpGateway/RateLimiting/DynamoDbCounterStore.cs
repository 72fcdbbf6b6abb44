using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using McpGateway.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.RateLimiting;

/// <summary>
/// Counters in DynamoDB, shared by every gateway instance (issue 4). Each reservation of one counter is
/// a single conditional <c>UpdateItem</c>: <c>ADD count :inc</c> if <c>count &lt;= max - inc</c>, so the table
/// itself serialises concurrent callers and a counter can never pass its max. A call with several limits
/// takes them in the decision's fixed key order and gives back what it took when one refuses, so it ends
/// with all of them or none. A policy limit's counter is created, by the first call of its window, from its
/// seed's use (the same limit in its other mode), read with a consistent read just before. (TransactWriteItems would do this in one request but costs twice the write
/// units, and the concurrency emulator lacks it.)
/// </summary>
/// <remarks>
/// Guarantees: never over-admits. May under-admit briefly: while a refused call gives back its partial
/// reservation, or a failed upstream call its whole one, those units look used to concurrent callers.
/// Denied counters are remembered until their window ends, so repeated denials cost no request; a
/// rollback elsewhere can make that memory pessimistic until the window ends, never optimistic.
/// </remarks>
internal sealed class DynamoDbCounterStore(
    IAmazonDynamoDB client,
    IOptions<CounterStoreOptions> options,
    TimeProvider time,
    ILogger<DynamoDbCounterStore> logger) : ICounterStore
{
    private const string CountAttribute = "count";
    private const string ExpiresAttribute = "expires_at";

    private readonly CounterStoreOptions _options = options.Value;
    private readonly string _table = options.Value.Table ?? throw new InvalidOperationException("Gateway:Counters:Table is not set");
    private readonly ConcurrentDictionary<string, KnownUse> _denied = new(StringComparer.Ordinal);
    private long _requests;

    /// <summary>DynamoDB requests sent so far (reservations and rollbacks), for the benchmark and tests.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public async ValueTask<ReservationOutcome> ReserveAsync(ImmutableArray<LimitReservation> limits, CancellationToken cancellationToken)
    {
        if (limits.IsEmpty)
        {
            return ReservationOutcome.Empty;
        }

        // Refuse from memory first: a counter known to be full for this window needs no request.
        var now = time.GetUtcNow();
        foreach (var limit in limits)
        {
            if (_denied.TryGetValue(limit.Key, out var known) && known.WindowEnd > now && known.Used + limit.Increment > limit.Limit.Max)
            {
                return new ReservationOutcome(ReservationStatus.LimitExceeded, [], limit, known.Used);
            }
        }

        var taken = ImmutableArray.CreateBuilder<LimitReservation>(limits.Length);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.TimeoutMilliseconds);
        string? skipped = null;
        foreach (var limit in limits)
        {
            var room = limit.Limit.Max - limit.Increment;
            if (room < 0)
            {
                // The increment alone is over the max: no write can ever succeed.
                await RollbackAsync(taken.ToImmutable(), CancellationToken.None).ConfigureAwait(false);
                return new ReservationOutcome(ReservationStatus.LimitExceeded, [], limit);
            }

            try
            {
                var refusedAt = await TakeAsync(limit, room, deadline.Token).ConfigureAwait(false);
                if (refusedAt is { } used)
                {
                    _denied[limit.Key] = new KnownUse(used, limit.WindowEnd);
                    await RollbackAsync(taken.ToImmutable(), CancellationToken.None).ConfigureAwait(false);
                    return new ReservationOutcome(ReservationStatus.LimitExceeded, [], limit, used);
                }

                taken.Add(limit);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                GatewayLog.CounterStoreFailed(logger, limit.Limit.Counter, Describe(ex, deadline));
                if (limit.Limit.OnStoreError == StoreErrorMode.Allow)
                {
                    // The operator chose to let this limit fail open; it is simply not counted, and the
                    // decision line still reports the store error (issue 18: StoreErrors).
                    skipped ??= Describe(ex, deadline);
                    continue;
                }

                await RollbackAsync(taken.ToImmutable(), CancellationToken.None).ConfigureAwait(false);
                return new ReservationOutcome(ReservationStatus.StoreUnavailable, [], limit, StoreError: Describe(ex, deadline));
            }
        }

        SweepDenied(now);
        return new ReservationOutcome(ReservationStatus.Reserved, taken.ToImmutable(), StoreError: skipped);
    }

    public async ValueTask RollbackAsync(ImmutableArray<LimitReservation> reserved, CancellationToken cancellationToken)
    {
        foreach (var limit in reserved)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_options.TimeoutMilliseconds);
                Interlocked.Increment(ref _requests);
                await client.UpdateItemAsync(RollbackRequest(limit), deadline.Token).ConfigureAwait(false);
                _denied.TryRemove(limit.Key, out _);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                // The units stay counted: the limit under-admits until the window ends, it never over-admits.
                GatewayLog.CounterRollbackFailed(logger, limit.Limit.Counter, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Adds the increment to one counter unless that passes its max; returns null when taken, or the use that
    /// refused it. A counter with a seed (<see cref="LimitReservation.SeedKey"/>) is added to only where it
    /// exists; the first call of a window finds it missing, reads the seed's use and creates it from there, so
    /// every other call still costs one request.
    /// </summary>
    private async Task<long?> TakeAsync(LimitReservation limit, long room, CancellationToken cancellationToken)
    {
        var seedKey = limit.SeedKey;
        try
        {
            Interlocked.Increment(ref _requests);
            await client.UpdateItemAsync(ReserveRequest(limit, room, seed: null, mustExist: seedKey is not null), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConditionalCheckFailedException ex) when (seedKey is null || CountOf(ex.Item) is not null)
        {
            // Current use is at least max - inc + 1; the item, when the service returns it, says exactly.
            return CountOf(ex.Item) ?? room + 1;
        }
        catch (ConditionalCheckFailedException)
        {
            // The counter is missing, or full and the service did not say: start it from its seed's use.
        }

        Interlocked.Increment(ref _requests);
        var seeded = await client.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(seedKey!), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        var seed = CountOf(seeded.Item) ?? 0;
        if (seed > room)
        {
            // Created from its seed, the counter would already be past the max; one that exists holds at least as much.
            return seed;
        }

        try
        {
            Interlocked.Increment(ref _requests);
            await client.UpdateItemAsync(ReserveRequest(limit, room, seed, mustExist: false), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConditionalCheckFailedException ex)
        {
            return CountOf(ex.Item) ?? room + 1;
        }
    }

    /// <summary>
    /// <c>ADD count :inc</c> if <c>count &lt;= max - inc</c> (and, with <paramref name="mustExist"/>, only to an existing
    /// counter); with a <paramref name="seed"/>, a missing counter is created holding seed + inc.
    /// </summary>
    private UpdateItemRequest ReserveRequest(LimitReservation limit, long room, long? seed, bool mustExist)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":increment"] = Number(limit.Increment),
            [":room"] = Number(room),
            [":expires"] = Number(limit.WindowEnd.ToUnixTimeSeconds() + _options.TtlGraceSeconds),
        };
        if (seed is { } start)
        {
            values[":seed"] = Number(start);
        }

        return new()
        {
            TableName = _table,
            Key = Key(limit),
            UpdateExpression = seed is null
                ? "SET #expires = if_not_exists(#expires, :expires) ADD #count :increment"
                : "SET #expires = if_not_exists(#expires, :expires), #count = if_not_exists(#count, :seed) + :increment",
            ConditionExpression = mustExist ? "attribute_exists(#count) AND #count <= :room" : "attribute_not_exists(#count) OR #count <= :room",
            ExpressionAttributeNames = new() { ["#count"] = CountAttribute, ["#expires"] = ExpiresAttribute },
            ExpressionAttributeValues = values,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
    }

    private static long? CountOf(Dictionary<string, AttributeValue>? item) =>
        item is not null && item.TryGetValue(CountAttribute, out var count) && long.TryParse(count.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private UpdateItemRequest RollbackRequest(LimitReservation limit) => new()
    {
        TableName = _table,
        Key = Key(limit),
        UpdateExpression = "ADD #count :decrement",
        ExpressionAttributeNames = new() { ["#count"] = CountAttribute },
        ExpressionAttributeValues = new() { [":decrement"] = Number(-limit.Increment) },
    };

    /// <summary>The partition key: <c>ctr#server/scope:id/counter/window/start</c> (one item per counter per window).</summary>
    internal static Dictionary<string, AttributeValue> Key(LimitReservation limit) => Key(limit.Key);

    private static Dictionary<string, AttributeValue> Key(string counterKey) => new() { ["pk"] = new AttributeValue { S = "ctr#" + counterKey } };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static bool IsStoreFailure(Exception ex, CancellationToken callerToken) =>
        ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException ||
        (ex is OperationCanceledException && !callerToken.IsCancellationRequested);

    private static string Describe(Exception ex, CancellationTokenSource deadline) =>
        ex is OperationCanceledException && deadline.IsCancellationRequested ? "deadline exceeded" : ex.GetType().Name;

    private void SweepDenied(DateTimeOffset now)
    {
        if (_denied.Count < 1024)
        {
            return;
        }

        foreach (var (key, known) in _denied)
        {
            if (known.WindowEnd <= now)
            {
                _denied.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct KnownUse(long Used, DateTimeOffset WindowEnd);
}

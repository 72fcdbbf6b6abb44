using System.Collections.Immutable;
using McpGateway.Policy;
using McpGateway.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.IntegrationTests.RateLimiting;

/// <summary>The DynamoDB counter store against dynalite (issue 4).</summary>
public sealed class DynamoDbCounterStoreTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 10, TimeSpan.Zero);

    [Fact]
    public async Task Reserve_300ConcurrentAgainstMax50_AdmitsExactly50EveryRound()
    {
        var table = await dynamo.Dynalite.CreateTableAsync();
        for (var round = 0; round < 3; round++)
        {
            // A fresh store per round, as a fresh Lambda instance would be: no denial is cached yet.
            var store = CreateStore(table, new FakeTimeProvider(Start));
            var limit = Reservation($"round{round}", max: 50);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 300).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return (await store.ReserveAsync([limit], CancellationToken.None)).Status;
            })).ToArray();
            gate.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            Assert.Equal(50, outcomes.Count(s => s == ReservationStatus.Reserved));
            Assert.Equal(250, outcomes.Count(s => s == ReservationStatus.LimitExceeded));
            Assert.Equal(50, await dynamo.Dynalite.CountAsync(table, limit.Key));
        }
    }

    [Fact]
    public async Task Rollback_AfterReservation_RestoresTheBudget()
    {
        var (table, store) = await NewStoreAsync(new FakeTimeProvider(Start));
        var limit = Reservation("rollback", max: 2);

        var first = await store.ReserveAsync([limit], CancellationToken.None);
        var second = await store.ReserveAsync([limit], CancellationToken.None);
        await store.RollbackAsync(second.Reserved, CancellationToken.None);
        var third = await store.ReserveAsync([limit], CancellationToken.None);
        var fourth = await store.ReserveAsync([limit], CancellationToken.None);

        Assert.Equal(ReservationStatus.Reserved, first.Status);
        Assert.Equal(ReservationStatus.Reserved, second.Status);
        Assert.Equal(ReservationStatus.Reserved, third.Status);
        Assert.Equal(ReservationStatus.LimitExceeded, fourth.Status);
        Assert.Equal(2, await dynamo.Dynalite.CountAsync(table, limit.Key));
    }

    [Fact]
    public async Task Reserve_TwoLimitsUnderConcurrency_AllOrNothingNoCounterAboveMax()
    {
        var (table, store) = await NewStoreAsync(new FakeTimeProvider(Start));
        var shared = Reservation("shared", max: 50);
        var narrow = Reservation("narrow", max: 20);
        ImmutableArray<LimitReservation> both = [.. new[] { shared, narrow }.OrderBy(l => l.Key, StringComparer.Ordinal)];

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var needBoth = Enumerable.Range(0, 150).Select(_ => Task.Run(async () => { await gate.Task; return await store.ReserveAsync(both, CancellationToken.None); })).ToArray();
        var needShared = Enumerable.Range(0, 150).Select(_ => Task.Run(async () => { await gate.Task; return await store.ReserveAsync([shared], CancellationToken.None); })).ToArray();
        gate.SetResult();
        var bothOutcomes = await Task.WhenAll(needBoth);
        var sharedOutcomes = await Task.WhenAll(needShared);

        var admittedBoth = bothOutcomes.Count(o => o.Status == ReservationStatus.Reserved);
        var admittedShared = sharedOutcomes.Count(o => o.Status == ReservationStatus.Reserved);
        var sharedCount = await dynamo.Dynalite.CountAsync(table, shared.Key);
        var narrowCount = await dynamo.Dynalite.CountAsync(table, narrow.Key);

        // Which calls win depends on timing (if the single-limit calls fill "shared" first, every two-limit
        // call is refused and gives its "narrow" unit back), so the invariants are what is asserted.
        Assert.InRange(sharedCount, 1, 50);
        Assert.InRange(narrowCount, 0, 20);

        // No partial reservation survives: each counter holds exactly the admitted calls that needed it.
        Assert.Equal(admittedBoth, narrowCount);
        Assert.Equal(admittedBoth + admittedShared, sharedCount);
        Assert.All(bothOutcomes.Where(o => o.Status != ReservationStatus.Reserved), o => Assert.Empty(o.Reserved));
    }

    [Fact]
    public async Task Reserve_WindowEnds_NewWindowStartsWithFullBudget()
    {
        var clock = new FakeTimeProvider(Start);
        var (_, store) = await NewStoreAsync(clock);
        var policy = Compile("""{"version":"1","default":"deny","tools":{"deploy":{"limits":[{"counter":"deploys","window":"minute","max":2}]}}}""");

        async Task<ReservationStatus> CallAsync()
        {
            var decision = policy.Evaluate(new ToolCall("agent", "srv", "deploy", default), clock.GetUtcNow());
            return (await store.ReserveAsync(decision.Limits, CancellationToken.None)).Status;
        }

        var firstWindow = new[] { await CallAsync(), await CallAsync(), await CallAsync() };
        clock.Advance(TimeSpan.FromSeconds(49)); // 12:00:59, still the first window
        var stillFirst = await CallAsync();
        clock.Advance(TimeSpan.FromSeconds(1)); // 12:01:00, a new window
        var secondWindow = new[] { await CallAsync(), await CallAsync(), await CallAsync() };

        Assert.Equal([ReservationStatus.Reserved, ReservationStatus.Reserved, ReservationStatus.LimitExceeded], firstWindow);
        Assert.Equal(ReservationStatus.LimitExceeded, stillFirst);
        Assert.Equal([ReservationStatus.Reserved, ReservationStatus.Reserved, ReservationStatus.LimitExceeded], secondWindow);
    }

    [Fact]
    public async Task Reserve_IncrementFromAmounts_CountsAmountsAgainstMax()
    {
        var clock = new FakeTimeProvider(Start);
        var (table, store) = await NewStoreAsync(clock);
        var policy = Compile("""{"version":"1","default":"deny","tools":{"charge":{"limits":[{"counter":"spend","window":"day","max":1000,"increment_from":"args.amount"}]}}}""");

        async Task<ReservationStatus> ChargeAsync(long amount)
        {
            using var arguments = JsonDocument.Parse($$"""{"amount":{{amount}}}""");
            var decision = policy.Evaluate(new ToolCall("agent", "srv", "charge", arguments.RootElement), clock.GetUtcNow());
            return (await store.ReserveAsync(decision.Limits, CancellationToken.None)).Status;
        }

        Assert.Equal(ReservationStatus.Reserved, await ChargeAsync(600));
        Assert.Equal(ReservationStatus.LimitExceeded, await ChargeAsync(500));
        Assert.Equal(ReservationStatus.Reserved, await ChargeAsync(400));
        Assert.Equal(ReservationStatus.LimitExceeded, await ChargeAsync(1));
        Assert.Equal(ReservationStatus.LimitExceeded, await ChargeAsync(5000));

        var key = policy.Evaluate(new ToolCall("agent", "srv", "charge", JsonDocument.Parse("""{"amount":1}""").RootElement), clock.GetUtcNow()).Limits[0].Key;
        Assert.Equal(1000, await dynamo.Dynalite.CountAsync(table, key));
    }

    [Fact]
    public async Task Reserve_OneLimit_CostsOneRequestAndCachedDenialsCostNone()
    {
        var (_, store) = await NewStoreAsync(new FakeTimeProvider(Start));
        var limit = Reservation("cost", max: 1);

        var admitted = await store.ReserveAsync([limit], CancellationToken.None);
        var afterAdmit = store.Requests;
        var firstDenial = await store.ReserveAsync([limit], CancellationToken.None);
        var afterFirstDenial = store.Requests;
        var repeatedDenials = new List<ReservationStatus>();
        for (var i = 0; i < 5; i++)
        {
            repeatedDenials.Add((await store.ReserveAsync([limit], CancellationToken.None)).Status);
        }

        Assert.Equal(ReservationStatus.Reserved, admitted.Status);
        Assert.Equal(1, afterAdmit);
        Assert.Equal(ReservationStatus.LimitExceeded, firstDenial.Status);
        Assert.Equal(2, afterFirstDenial);
        Assert.All(repeatedDenials, s => Assert.Equal(ReservationStatus.LimitExceeded, s));
        Assert.Equal(afterFirstDenial, store.Requests);
    }

    [Fact]
    public async Task Reserve_StoreUnreachable_FailsClosedUnlessTheLimitOptsIntoFailOpen()
    {
        // A port nobody listens on: connection refused, as when DynamoDB cannot be reached.
        var closed = Loopback.FreePort();
        var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(
            new Amazon.Runtime.BasicAWSCredentials("x", "y"),
            new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{closed}", AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(2) });
        var store = new DynamoDbCounterStore(client, Options.Create(new CounterStoreOptions { Table = "unreachable", TimeoutMilliseconds = 2000 }), new FakeTimeProvider(Start), NullLogger<DynamoDbCounterStore>.Instance);
        var closedLimit = Reservation("closed", max: 5);
        var openLimit = Reservation("open", max: 5, StoreErrorMode.Allow);

        var failClosed = await store.ReserveAsync([closedLimit], CancellationToken.None);
        var failOpen = await store.ReserveAsync([openLimit], CancellationToken.None);
        var mixed = await store.ReserveAsync([.. new[] { closedLimit, openLimit }.OrderBy(l => l.Key, StringComparer.Ordinal)], CancellationToken.None);

        Assert.Equal(ReservationStatus.StoreUnavailable, failClosed.Status);
        Assert.Equal("closed", failClosed.Failed!.Value.Limit.Counter);
        Assert.Equal(ReservationStatus.Reserved, failOpen.Status);
        Assert.Empty(failOpen.Reserved);
        Assert.Equal(ReservationStatus.StoreUnavailable, mixed.Status);
    }

    /// <summary>A store on a table of its own, so that no other test's counters are in it.</summary>
    private async Task<(string Table, DynamoDbCounterStore Store)> NewStoreAsync(TimeProvider time)
    {
        var table = await dynamo.Dynalite.CreateTableAsync();
        return (table, CreateStore(table, time));
    }

    private DynamoDbCounterStore CreateStore(string table, TimeProvider time) => dynamo.CounterStore(table, time);

    private static LimitReservation Reservation(string counter, long max, StoreErrorMode onStoreError = StoreErrorMode.Deny)
    {
        var start = Start.AddSeconds(-10);
        var limit = new PolicyLimit(counter, 60, max, LimitScope.Grant, null, onStoreError);
        return new LimitReservation($"srv/grant:agent/{counter}/60/{start.ToUnixTimeSeconds()}", "test", limit, start, start.AddMinutes(1), 1);
    }

    private static CompiledPolicy Compile(string json) => CompiledPolicy.Compile(PolicyParser.Parse(json).Document!);
}

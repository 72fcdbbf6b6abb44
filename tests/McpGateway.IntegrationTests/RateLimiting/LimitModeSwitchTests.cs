using System.Collections.Immutable;
using McpGateway.Policy;
using McpGateway.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.IntegrationTests.RateLimiting;

/// <summary>
/// A limit switched between shadow and enforce within a window goes on from the use its other mode counted in
/// that window (issue 17: "switching a limit from shadow to enforce starts from the real use"), in both stores,
/// exactly under concurrency.
/// </summary>
public sealed class LimitModeSwitchTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);
    private static readonly long MinuteStart = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static TheoryData<string> StoreKinds => ["memory", "dynamodb"];

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task ShadowToEnforce_WithinTheWindow_EnforcedCounterStartsFromTheShadowUse(string storeKind)
    {
        var (store, use, clock) = await CreateAsync(storeKind);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(ReservationStatus.Reserved, (await store.ReserveAsync(Limits("shadow", clock), CancellationToken.None)).Status);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 30).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            return (await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None)).Status;
        })).ToArray();
        gate.SetResult();
        var outcomes = await Task.WhenAll(attempts);
        var enforcedUse = await use($"srv/grant:agent/deploys/60/{MinuteStart}");
        var shadowUse = await use($"srv/shadow.grant:agent/deploys/60/{MinuteStart}");
        clock.Advance(TimeSpan.FromMinutes(1));
        var nextWindow = await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None);

        Assert.Equal(2, outcomes.Count(s => s == ReservationStatus.Reserved));
        Assert.Equal(28, outcomes.Count(s => s == ReservationStatus.LimitExceeded));
        Assert.Equal(10, enforcedUse);
        Assert.Equal(8, shadowUse);

        // The next window has no shadow use to go on from.
        Assert.Equal(ReservationStatus.Reserved, nextWindow.Status);
        Assert.Equal(1, await use($"srv/grant:agent/deploys/60/{MinuteStart + 60}"));
    }

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task EnforceToShadow_WithinTheWindow_ShadowCounterStartsFromTheEnforcedUse(string storeKind)
    {
        var (store, use, clock) = await CreateAsync(storeKind);
        for (var i = 0; i < 4; i++)
        {
            await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None);
        }

        var shadowed = new List<ReservationStatus>();
        for (var i = 0; i < 7; i++)
        {
            shadowed.Add((await store.ReserveAsync(Limits("shadow", clock), CancellationToken.None)).Status);
        }

        Assert.Equal([.. Enumerable.Repeat(ReservationStatus.Reserved, 6), ReservationStatus.LimitExceeded], shadowed);
        Assert.Equal(10, await use($"srv/shadow.grant:agent/deploys/60/{MinuteStart}"));
        Assert.Equal(4, await use($"srv/grant:agent/deploys/60/{MinuteStart}"));
    }

    [Fact]
    public async Task DynamoDb_FirstCallOfAWindowReadsTheSeed_LaterCallsCostOneRequest()
    {
        var clock = new FakeTimeProvider(Start);
        var store = dynamo.CounterStore(await dynamo.Dynalite.CreateTableAsync(), clock);

        await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None);
        var afterFirst = store.Requests;
        await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None);
        await store.ReserveAsync(Limits("enforce", clock), CancellationToken.None);

        // The refused write to a missing counter, the seed's read, the creating write; then one write a call.
        Assert.Equal(3, afterFirst);
        Assert.Equal(5, store.Requests);
    }

    /// <summary>What a call to deploy reserves under the document with its limit in <paramref name="mode"/>.</summary>
    private static ImmutableArray<LimitReservation> Limits(string mode, TimeProvider clock)
    {
        var document = PolicyParser.Parse(
            """{"version":"1","default":"allow","tools":{"deploy":{"limits":[{"counter":"deploys","window":"minute","max":10,"mode":""" +
            $"\"{mode}\"" + "}]}}}").Document!;
        var policy = CompiledPolicy.Compile(document);
        using var arguments = JsonDocument.Parse("{}");
        var call = new ToolCall("agent", "srv", "deploy", arguments.RootElement);
        return (mode == "shadow" ? policy.Shadow! : policy).Evaluate(call, clock.GetUtcNow()).Limits;
    }

    private async Task<(ICounterStore Store, Func<string, Task<long>> Use, FakeTimeProvider Clock)> CreateAsync(string storeKind)
    {
        var clock = new FakeTimeProvider(Start);
        if (storeKind == "memory")
        {
            var memory = new InMemoryCounterStore(clock);
            return (memory, key => Task.FromResult(memory.CurrentUse(key)), clock);
        }

        var table = await dynamo.Dynalite.CreateTableAsync();
        return (dynamo.CounterStore(table, clock), key => dynamo.Dynalite.CountAsync(table, key), clock);
    }
}

using McpGateway.Approvals;
using McpGateway.Policy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.IntegrationTests.Approvals;

/// <summary>Approvals expire by the gateway's clock, injected here, in both stores.</summary>
public sealed class ApprovalExpiryTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> StoreKinds => ["memory", "dynamodb"];

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task PendingApproval_PastItsTimeout_CannotBeApprovedAndTheCallAsksAgain(string storeKind)
    {
        var (gate, store, clock) = await CreateAsync(storeKind);

        var first = await gate.CheckAsync(Request(), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var stillWaiting = await gate.CheckAsync(Request(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        var decidedLate = await store.DecideAsync(first.Record.Id, approve: true, "alice", null, clock.GetUtcNow(), CancellationToken.None);
        var afterExpiry = await gate.CheckAsync(Request(), CancellationToken.None);

        Assert.Equal(ApprovalCheckKind.Created, first.Kind);
        Assert.Equal(Start.AddMinutes(15), first.Record.ExpiresAt);
        Assert.Equal(ApprovalCheckKind.Waiting, stillWaiting.Kind);
        Assert.Equal(first.Record.Id, stillWaiting.Record.Id);
        Assert.Null(decidedLate);
        Assert.Equal(ApprovalCheckKind.Created, afterExpiry.Kind);
        Assert.NotEqual(first.Record.Id, afterExpiry.Record.Id);
    }

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task ApprovedApproval_PastItsTimeout_CannotBeConsumed(string storeKind)
    {
        var (gate, store, clock) = await CreateAsync(storeKind);
        var pending = await gate.CheckAsync(Request(), CancellationToken.None);
        var approved = await store.DecideAsync(pending.Record.Id, approve: true, "alice", "ok", clock.GetUtcNow(), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(16));
        var consumed = await gate.ConsumeAsync(approved!, CancellationToken.None);
        var next = await gate.CheckAsync(Request(), CancellationToken.None);

        Assert.NotNull(approved);
        Assert.False(consumed);
        Assert.Equal(ApprovalCheckKind.Created, next.Kind);
    }

    private async Task<(ApprovalGate Gate, IApprovalStore Store, FakeTimeProvider Clock)> CreateAsync(string storeKind)
    {
        var clock = new FakeTimeProvider(Start);
        IApprovalStore store = storeKind == "memory"
            ? new InMemoryApprovalStore()
            : new DynamoDbApprovalStore(dynamo.Dynalite.CreateClient(), await dynamo.Dynalite.CreateTableAsync());
        var notifier = new ApprovalNotifier(Options.Create(new ApprovalOptions()), NullLogger<ApprovalNotifier>.Instance);
        return (new ApprovalGate(store, notifier, clock), store, clock);
    }

    private static ApprovalRequest Request() => new(
        "agent", "stripe", "create_payout", ["amount"], "0f0f", JsonDocument.Parse("""{"amount":1}""").RootElement,
        "payments", "payments:1", "tools.create_payout", new ApprovalSettings(TimeSpan.FromMinutes(15)));
}

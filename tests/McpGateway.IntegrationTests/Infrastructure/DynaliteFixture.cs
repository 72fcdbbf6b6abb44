using McpGateway.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>One dynalite for a test class; each test creates its own table, so tests cannot see each other's items.</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    internal Dynalite Dynalite { get; private set; } = null!;

    public async Task InitializeAsync() => Dynalite = await Dynalite.StartAsync();

    public async Task DisposeAsync() => await Dynalite.DisposeAsync();

    /// <summary>The gateway's DynamoDB counter store on <paramref name="table"/>, with a deadline loose enough for a loaded machine.</summary>
    internal DynamoDbCounterStore CounterStore(string table, TimeProvider time) =>
        new(Dynalite.CreateClient(), Options.Create(new CounterStoreOptions { Table = table, TimeoutMilliseconds = 10_000 }), time, NullLogger<DynamoDbCounterStore>.Instance);
}

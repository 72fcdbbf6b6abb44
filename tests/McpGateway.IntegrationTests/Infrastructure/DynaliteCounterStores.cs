using McpGateway.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The gateway's DynamoDB counter store on a dynalite table, as the tests build it.</summary>
internal static class DynaliteCounterStores
{
    /// <summary>The store on <paramref name="table"/>, with a deadline loose enough for a loaded machine.</summary>
    public static DynamoDbCounterStore CounterStore(this DynaliteFixture dynamo, string table, TimeProvider time) =>
        new(dynamo.Dynalite.CreateClient(), Options.Create(new CounterStoreOptions { Table = table, TimeoutMilliseconds = 10_000 }), time, NullLogger<DynamoDbCounterStore>.Instance);
}

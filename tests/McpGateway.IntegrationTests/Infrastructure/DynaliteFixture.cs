namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>One dynalite for a test class; each test creates its own table, so tests cannot see each other's items.</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    internal Dynalite Dynalite { get; private set; } = null!;

    public async Task InitializeAsync() => Dynalite = await Dynalite.StartAsync();

    public async Task DisposeAsync() => await Dynalite.DisposeAsync();
}

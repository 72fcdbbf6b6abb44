using System.Text.Json.Nodes;
using McpGateway.Hosting;
using McpGateway.Logging;
using McpGateway.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Enforcement;

/// <summary>
/// The gateway as the host composes it (<c>AddMcpGateway</c>, <c>MapMcpGateway</c>, a configuration file), started in
/// this process on loopback, with the in-memory counter and approval stores, the decision log recorded as values and a
/// clock the test moves. Starts in milliseconds, where the gateway process of the integration tests takes a second.
/// </summary>
internal sealed class InProcessGateway(WebApplication app, string configFile, Uri baseUrl, FakeTimeProvider clock, RecordingDecisionLog decisions) : IAsyncDisposable
{
    private const string SessionKey = "bWNwLWdhdGV3YXktdW5pdC10ZXN0LXNlc3Npb24ta2V5LTMyYnl0ZXM=";

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The gateway's clock: policy windows and approvals follow it.</summary>
    public FakeTimeProvider Clock { get; } = clock;

    public RecordingDecisionLog Decisions { get; } = decisions;

    /// <summary>The counter store the gateway reserves in.</summary>
    public ICounterStore Counters => app.Services.GetRequiredService<ICounterStore>();

    public Uri McpUrl(string server) => new(BaseUrl, "/mcp/" + server);

    public static async Task<InProcessGateway> StartAsync(JsonObject config)
    {
        var configFile = Path.Combine(Path.GetTempPath(), "mcpgw-unit-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(configFile, config.ToJsonString());
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var decisions = new RecordingDecisionLog();

        var builder = LoopbackApp.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ConfigFile"] = configFile,
            ["Gateway:SessionKey"] = SessionKey,
        });

        // Registered first: AddMcpGateway only adds what is not there yet.
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IDecisionLog>(decisions);
        builder.Services.AddMcpGateway(builder.Configuration);
        var app = builder.Build();
        app.MapMcpGateway();
        var address = await app.StartLoopbackAsync();
        return new InProcessGateway(app, configFile, address, clock, decisions);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        File.Delete(configFile);
    }
}

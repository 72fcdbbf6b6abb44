using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Servers;
using McpGateway.RateLimiting;

namespace McpGateway.Performance.Load;

/// <summary>
/// Everything a load run or a profile needs, started in this process on 127.0.0.1: dynalite (a child
/// process) with its table, the upstream, both pass-throughs, and both gateways; and the five paths.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private BenchEnvironment()
    {
    }

    public Target[] Targets { get; private set; } = [];

    public BenchConfig Config { get; private set; } = null!;

    /// <summary>Where the decision log goes; null when the gateways run without it.</summary>
    public DecisionLogSink? DecisionLog { get; private set; }

    public static async Task<BenchEnvironment> StartAsync(DecisionLogReader decisionLog)
    {
        var environment = new BenchEnvironment();
        try
        {
            await environment.StartServersAsync(decisionLog);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    public Target Target(string key) =>
        Targets.FirstOrDefault(t => t.Key == key) ?? throw new InvalidOperationException($"no path \"{key}\": use one of {string.Join(", ", Targets.Select(t => t.Key))}");

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        DecisionLog?.Dispose();
    }

    private async Task StartServersAsync(DecisionLogReader decisionLog)
    {
        DecisionLog = decisionLog == DecisionLogReader.Off ? null : DecisionLogSink.Install(decisionLog);
        var writeLog = DecisionLog is not null;

        var dynalite = Own(await Dynalite.StartAsync());
        var counterTable = await dynalite.CreateTableAsync();
        foreach (var (key, value) in dynalite.AwsEnvironment)
        {
            // The gateway's DynamoDB client reads the standard AWS variables, as on Lambda (BRIEF.md).
            Environment.SetEnvironmentVariable(key, value);
        }

        var upstream = Own(await McpUpstream.StartAsync());
        Config = BenchConfig.Write(upstream.BaseUrl, RepoPaths.Work);
        var yarp = Own(await YarpPassThrough.StartAsync(upstream.BaseUrl));
        var bare = Own(await BarePassThrough.StartAsync(upstream.BaseUrl));
        var (memoryGateway, _) = await GatewayApp.StartAsync(Config.Path, counterTable: null, writeLog);
        Own(memoryGateway);
        var (dynamoGateway, dynamoCounters) = await GatewayApp.StartAsync(Config.Path, counterTable, writeLog);
        Own(dynamoGateway);
        var (signedGateway, _) = await GatewayApp.StartAsync(Config.SignedPath, counterTable: null, writeLog);
        Own(signedGateway);
        if (dynamoCounters is not DynamoDbCounterStore)
        {
            throw new InvalidOperationException("path (d) should count in DynamoDB but got " + dynamoCounters.GetType().Name);
        }

        Targets =
        [
            new("a", "(a) direct", upstream.Url, IsGateway: false),
            new("b", "(b) YARP 2.1.0", mode => new Uri(yarp.BaseUrl, upstream.Url(mode).AbsolutePath), IsGateway: false),
            new("b'", "(b') bare pass-through", mode => new Uri(bare.BaseUrl, upstream.Url(mode).AbsolutePath), IsGateway: false),
            new("c", "(c) gateway, memory", mode => new Uri(memoryGateway.BaseUrl, "/mcp/" + BenchConfig.ServerName(mode)), IsGateway: true),
            new("d", "(d) gateway, dynalite", mode => new Uri(dynamoGateway.BaseUrl, "/mcp/" + BenchConfig.ServerName(mode)), IsGateway: true, dynalite.ProcessId),
            new("s", "(s) gateway, memory, SigV4-signed", mode => new Uri(signedGateway.BaseUrl, "/mcp/" + BenchConfig.ServerName(mode)), IsGateway: true),
        ];
    }

    private T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }
}

using System.Diagnostics;
using System.Globalization;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;
using McpGateway.Performance.Reporting;
using McpGateway.Performance.Servers;

namespace McpGateway.Performance.ColdStart;

/// <summary>
/// Cold start of issue 8: the host published framework-dependent (JIT) and ReadyToRun, each launched as
/// Lambda's handler script launches it (<c>dotnet McpGateway.Host.dll</c>), timed from process start to the
/// first proxied tools/call answered. Native AOT is not measured: its runtime pack is not on the registry
/// this project builds from. Launches alternate between variants so that machine noise falls on all of them.
/// </summary>
internal static class ColdStartCommand
{
    /// <summary>How often a launching gateway is polled: the resolution of the figures, and cheap enough not to slow the launch.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(30);

    private const int SteadyStateCalls = 2_000;

    private sealed record Build(string Name, string Directory, string[] PublishArguments)
    {
        public string Dll => Path.Combine(Directory, "McpGateway.Host.dll");
    }

    private sealed record Variant(Build Build, bool DynamoDb, KeyValuePair<string, string>? Setting = null)
    {
        public string Label => $"{Build.Name}, {(DynamoDb ? "DynamoDB counters (dynalite)" : "in-memory counters")}" +
                               (Setting is { } setting ? $", `{setting.Key}={setting.Value}`" : "");

        public List<(double Total, double FirstCall)> Launches { get; } = [];

        public (long Rss, long Peak) AfterFirstCall { get; set; }

        public (long Rss, long Peak) AfterLoad { get; set; }
    }

    /// <param name="launches">Measured launches per variant.</param>
    /// <param name="extraEnvironment">Set in every launched gateway (<c>--env NAME=VALUE</c>), to compare runtime settings.</param>
    /// <param name="withDynamoDb">Also launch gateways with DynamoDB counters on dynalite.</param>
    /// <param name="comparisons">Each adds ReadyToRun variants (one per counter store) with one more setting (<c>--compare NAME=VALUE</c>), launched in the same rounds.</param>
    public static async Task<int> RunAsync(int launches, IReadOnlyDictionary<string, string> extraEnvironment, bool withDynamoDb, IReadOnlyList<KeyValuePair<string, string>> comparisons)
    {
        Build[] builds =
        [
            new("JIT (framework-dependent)", Path.Combine(RepoPaths.Work, "host-jit"), []),
            new("ReadyToRun", Path.Combine(RepoPaths.Work, "host-r2r"), ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-p:UseAppHost=false"]),
        ];
        foreach (var build in builds)
        {
            await PublishAsync(build);
        }

        await using var dynalite = await Dynalite.StartAsync();
        await using var upstream = await McpUpstream.StartAsync();
        var config = BenchConfig.Write(upstream.BaseUrl, RepoPaths.Work);
        using var client = new ToolCallClient(32);
        var buffer = new byte[64 * 1024];
        bool[] stores = withDynamoDb ? [false, true] : [false];
        Variant[] variants =
        [
            .. from store in stores from build in builds select new Variant(build, store),
            .. from setting in comparisons from store in stores select new Variant(builds[1], store, setting),
        ];

        // One discarded launch per variant: the first after a publish reads the files from disk, later ones from
        // the page cache, as every launch but the first on a warm Lambda host (and every one here) does.
        foreach (var variant in variants)
        {
            await LaunchAsync(variant, config, dynalite, client, buffer, extraEnvironment, measureMemory: false);
        }

        for (var round = 0; round < launches; round++)
        {
            LoadBenchmark.Progress($"cold start round {round + 1}/{launches}");
            foreach (var variant in variants)
            {
                variant.Launches.Add(await LaunchAsync(variant, config, dynalite, client, buffer, extraEnvironment, measureMemory: round == launches - 1));
            }
        }

        Write(variants, builds, launches, extraEnvironment);
        return 0;
    }

    private static async Task PublishAsync(Build build)
    {
        LoadBenchmark.Progress($"dotnet publish {build.Name} -> {build.Directory}");
        string[] arguments = ["publish", RepoPaths.HostProject, "-c", "Release", "--nologo", "-p:GenerateDocumentationFile=false", "-o", build.Directory, .. build.PublishArguments];
        await using var publish = new ChildProcess("dotnet", arguments);
        var exit = await publish.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (exit != 0 || !File.Exists(build.Dll))
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exit}):\n{publish.Tail()}");
        }
    }

    private static async Task<(double Total, double FirstCall)> LaunchAsync(Variant variant, BenchConfig config, Dynalite dynalite, ToolCallClient client, byte[] buffer, IReadOnlyDictionary<string, string> extraEnvironment, bool measureMemory)
    {
        var port = Dynalite.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["Gateway__SessionKey"] = "bWNwLWdhdGV3YXktcGVyZi1zZXNzaW9uLWtleS0zMi1ieXRlcyE=",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

        if (variant.Setting is { } setting)
        {
            environment[setting.Key] = setting.Value;
        }

        if (variant.DynamoDb)
        {
            foreach (var (key, value) in dynalite.Environment)
            {
                environment[key] = value;
            }

            environment["Gateway__Counters__Table"] = dynalite.Table;
        }

        var url = new Uri($"http://127.0.0.1:{port}/mcp/{BenchConfig.ServerName(ResponseMode.Json)}");
        var token = config.Token(ResponseMode.Json);
        var started = Stopwatch.GetTimestamp();
        await using var process = new ChildProcess("dotnet", [variant.Build.Dll, "--config", config.Path, "--urls", $"http://127.0.0.1:{port}"], environment);
        using var deadline = new CancellationTokenSource(LaunchTimeout);
        while (true)
        {
            var attempt = Stopwatch.GetTimestamp();
            try
            {
                var problem = await client.CallAsync(url, ResponseMode.Json, ToolCallPayload.Small, token, buffer, deadline.Token);
                if (problem is not null)
                {
                    throw new InvalidOperationException($"{variant.Label}: the first call was answered wrongly: {problem}");
                }

                var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var firstCall = Stopwatch.GetElapsedTime(attempt).TotalMilliseconds;
                if (measureMemory)
                {
                    variant.AfterFirstCall = ProcessStats.Memory(process.Id);
                    var phase = new LoadPhase(client, 16);
                    var target = new Target("gw", variant.Label, _ => url, IsGateway: true);
                    var load = await phase.RunAsync(target, ResponseMode.Json, ToolCallPayload.Small, token, 16, TimeSpan.FromSeconds(20), SteadyStateCalls);
                    if (load.Errors > 0)
                    {
                        throw new InvalidOperationException($"{variant.Label}: {load.Errors} calls failed under load: {load.FirstError}");
                    }

                    variant.AfterLoad = ProcessStats.Memory(process.Id);
                }

                return (total, firstCall);
            }
            catch (HttpRequestException) when (!deadline.IsCancellationRequested && !process.HasExited)
            {
                // Not listening yet.
                await Task.Delay(PollInterval);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                throw new InvalidOperationException($"{variant.Label}: no answer within {LaunchTimeout.TotalSeconds:0} s (exited: {process.HasExited}):\n{process.Tail()}");
            }
        }
    }

    private static void Write(Variant[] variants, Build[] builds, int launches, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine("## Cold start");
        output.WriteLine();
        output.WriteLine(Report.Environment());
        output.WriteLine();
        output.WriteLine($"Process start (`dotnet McpGateway.Host.dll --config FILE --urls URL`) to the first proxied tools/call answered (small arguments, JSON), " +
                         $"{launches} launches per variant, alternating, after one discarded launch each; polled every {PollInterval.TotalMilliseconds:0} ms. " +
                         $"RSS of the gateway process after that first call and after {SteadyStateCalls:N0} more at concurrency 16." +
                         (extraEnvironment.Count == 0 ? "" : " Set in every launch: " + string.Join(", ", extraEnvironment.Select(e => $"`{e.Key}={e.Value}`")) + "."));
        output.WriteLine();
        output.WriteLine("| variant | median ms | min ms | max ms | of which the first call ms (median) | RSS after first call MiB | RSS after load MiB (peak) |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var variant in variants)
        {
            var totals = variant.Launches.Select(l => l.Total).Order().ToArray();
            var firstCalls = variant.Launches.Select(l => l.FirstCall).Order().ToArray();
            output.WriteLine(
                $"| {variant.Label} | {Median(totals):N0} | {totals[0]:N0} | {totals[^1]:N0} | {Median(firstCalls):N0} | " +
                $"{variant.AfterFirstCall.Rss / 1048576.0:N0} | {variant.AfterLoad.Rss / 1048576.0:N0} ({variant.AfterLoad.Peak / 1048576.0:N0}) |");
        }

        output.WriteLine();
        foreach (var build in builds)
        {
            var bytes = new DirectoryInfo(build.Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            output.WriteLine($"- {build.Name}: published output {bytes / 1048576.0:N1} MiB in {build.Directory}");
        }

        var readyToRun = variants.First(v => v.Build == builds[1] && !v.DynamoDb && v.Setting is null);
        var median = Median([.. readyToRun.Launches.Select(l => l.Total).Order()]);
        output.WriteLine();
        output.WriteLine($"| goal | measured | verdict |");
        output.WriteLine($"| --- | --- | --- |");
        output.WriteLine($"| cold start to first proxied call < 400 ms with ReadyToRun | {median.ToString("N0", CultureInfo.InvariantCulture)} ms (median, in-memory counters) | {(median < 400 ? "met" : "**missed**")} |");
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

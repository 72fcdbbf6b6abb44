using System.Diagnostics;
using System.Globalization;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;
using McpGateway.Performance.Reporting;
using McpGateway.Performance.Servers;

namespace McpGateway.Performance.ColdStart;

/// <summary>
/// Cold start of issues 8 and 20: the host published framework-dependent (JIT), ReadyToRun and Native AOT, each
/// launched as Lambda's handler script launches that build (<c>dotnet McpGateway.Host.dll</c>, or the native
/// binary itself), timed from process start to the first proxied tools/call answered; with the configuration
/// from a file or, as on Lambda, from Parameter Store (moto), and counters in memory or in DynamoDB (dynalite).
/// Launches alternate between variants so that machine noise falls on all of them.
/// </summary>
internal static class ColdStartCommand
{
    /// <summary>How often a launching gateway is polled: the resolution of the figures, and cheap enough not to slow the launch.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(30);

    private const int SteadyStateCalls = 2_000;

    internal sealed record Build(string Name, string Directory, string[] PublishArguments, bool Native = false)
    {
        /// <summary>What the handler script starts: the native binary, or the assembly under <c>dotnet</c>.</summary>
        public string Entry => Path.Combine(Directory, Native ? "McpGateway.Host" : "McpGateway.Host.dll");
    }

    private sealed record Variant(Build Build, bool DynamoDb, bool ParameterStore = false, KeyValuePair<string, string>? Setting = null)
    {
        public string Label => $"{Build.Name}, {(ParameterStore ? "Parameter Store (moto)" : "file")}, {(DynamoDb ? "DynamoDB counters (dynalite)" : "in-memory counters")}" +
                               (Setting is { } setting ? $", `{setting.Key}={setting.Value}`" : "");

        public List<(double Total, double FirstCall)> Launches { get; } = [];

        public (long Rss, long Peak) AfterFirstCall { get; set; }

        public (long Rss, long Peak) AfterLoad { get; set; }

        /// <summary>CPU seconds (user + system) the gateway used up to its first answer, one per launch.</summary>
        public List<double> StartCpu { get; } = [];

        /// <summary>CPU seconds per call over the steady-state calls after the first.</summary>
        public double CpuPerCall { get; set; }
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
            new("Native AOT", Path.Combine(RepoPaths.Work, "host-aot"), ["-r", "linux-x64", "-p:PublishAot=true"], Native: true),
        ];
        foreach (var build in builds)
        {
            await PublishAsync(build);
        }

        await using var dynalite = await Dynalite.StartAsync();
        var counterTable = await dynalite.CreateTableAsync();
        await using var upstream = await McpUpstream.StartAsync();
        var config = BenchConfig.Write(upstream.BaseUrl, RepoPaths.Work);
        await using var parameterStore = withDynamoDb ? await MotoParameterStore.StartAsync(config.Path) : null;
        using var client = new ToolCallClient(32);
        var buffer = new byte[64 * 1024];
        bool[] stores = withDynamoDb ? [false, true] : [false];
        Variant[] variants =
        [
            .. from store in stores from build in builds select new Variant(build, store),
            .. from build in builds where withDynamoDb select new Variant(build, DynamoDb: true, ParameterStore: true),
            .. from setting in comparisons from store in stores select new Variant(builds[1], store, Setting: setting),
        ];

        // One discarded launch per variant: the first after a publish reads the files from disk, later ones from
        // the page cache, as every launch but the first on a warm Lambda host (and every one here) does.
        foreach (var variant in variants)
        {
            await LaunchAsync(variant, config, dynalite, counterTable, parameterStore, client, buffer, extraEnvironment, measureMemory: false);
            variant.StartCpu.Clear();
        }

        for (var round = 0; round < launches; round++)
        {
            LoadBenchmark.Progress($"cold start round {round + 1}/{launches}");
            foreach (var variant in variants)
            {
                variant.Launches.Add(await LaunchAsync(variant, config, dynalite, counterTable, parameterStore, client, buffer, extraEnvironment, measureMemory: round == launches - 1));
            }
        }

        Write(variants, builds, launches, extraEnvironment);
        return 0;
    }

    internal static async Task PublishAsync(Build build)
    {
        LoadBenchmark.Progress($"dotnet publish {build.Name} -> {build.Directory}");
        string[] arguments = ["publish", RepoPaths.HostProject, "-c", "Release", "--nologo", "-p:GenerateDocumentationFile=false", "-o", build.Directory, .. build.PublishArguments];
        await using var publish = new ManagedProcess("dotnet", arguments, keepLines: 200);
        var exit = await publish.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (exit != 0 || !File.Exists(build.Entry))
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exit}):\n{publish.Tail()}");
        }
    }

    private static async Task<(double Total, double FirstCall)> LaunchAsync(Variant variant, BenchConfig config, Dynalite dynalite, string counterTable, MotoParameterStore? parameterStore, ToolCallClient client, byte[] buffer, IReadOnlyDictionary<string, string> extraEnvironment, bool measureMemory)
    {
        var port = Loopback.FreePort();
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
            foreach (var (key, value) in dynalite.AwsEnvironment)
            {
                environment[key] = value;
            }

            environment["Gateway__Counters__Table"] = counterTable;
        }

        // As the template configures Lambda: the prefix in the environment, where the warm-up looks for it.
        if (variant.ParameterStore)
        {
            foreach (var (key, value) in parameterStore!.Environment)
            {
                environment[key] = value;
            }

            environment["Gateway__Ssm__Prefix"] = MotoParameterStore.Prefix;
        }

        string[] source = variant.ParameterStore ? [] : ["--config", config.Path];

        var url = new Uri($"http://127.0.0.1:{port}/mcp/{BenchConfig.ServerName(ResponseMode.Json)}");
        var token = config.Token(ResponseMode.Json);
        var started = Stopwatch.GetTimestamp();
        await using var process = variant.Build.Native
            ? new ManagedProcess(variant.Build.Entry, [.. source, "--urls", $"http://127.0.0.1:{port}"], environment, keepLines: 200)
            : new ManagedProcess("dotnet", [variant.Build.Entry, .. source, "--urls", $"http://127.0.0.1:{port}"], environment, keepLines: 200);
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
                    var cpuBefore = ProcessStats.CpuSeconds(process.Id);
                    var phase = new LoadPhase(client, 16);
                    var target = new Target("gw", variant.Label, _ => url, IsGateway: true);
                    var load = await phase.RunAsync(target, ResponseMode.Json, ToolCallPayload.Small, token, 16, TimeSpan.FromSeconds(20), SteadyStateCalls);
                    if (load.Errors > 0)
                    {
                        throw new InvalidOperationException($"{variant.Label}: {load.Errors} calls failed under load: {load.FirstError}");
                    }

                    variant.AfterLoad = ProcessStats.Memory(process.Id);
                    variant.CpuPerCall = (ProcessStats.CpuSeconds(process.Id) - cpuBefore) / SteadyStateCalls;
                }
                else
                {
                    variant.StartCpu.Add(ProcessStats.CpuSeconds(process.Id));
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
        output.WriteLine($"Process start (`dotnet McpGateway.Host.dll --urls URL`, or `McpGateway.Host --urls URL` for Native AOT, with `--config FILE` or `Gateway__Ssm__Prefix`) to the first proxied tools/call answered (small arguments, JSON), " +
                         $"{launches} launches per variant, alternating, after one discarded launch each; polled every {PollInterval.TotalMilliseconds:0} ms. " +
                         $"RSS of the gateway process after that first call and after {SteadyStateCalls:N0} more at concurrency 16; CPU (user + system, 10 ms ticks) " +
                         $"the process used up to its first answer (median of the launches but the last), and per call over those {SteadyStateCalls:N0}." +
                         (extraEnvironment.Count == 0 ? "" : " Set in every launch: " + string.Join(", ", extraEnvironment.Select(e => $"`{e.Key}={e.Value}`")) + "."));
        output.WriteLine();
        output.WriteLine("| variant | median ms | min ms | max ms | of which the first call ms (median) | CPU to first answer ms | CPU per call µs | RSS after first call MiB | RSS after load MiB (peak) |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var variant in variants)
        {
            var totals = variant.Launches.Select(l => l.Total).Order().ToArray();
            var firstCalls = variant.Launches.Select(l => l.FirstCall).Order().ToArray();
            output.WriteLine(
                $"| {variant.Label} | {Median(totals):N0} | {totals[0]:N0} | {totals[^1]:N0} | {Median(firstCalls):N0} | " +
                $"{(variant.StartCpu.Count > 0 ? Median([.. variant.StartCpu.Order()]) * 1000 : double.NaN):N0} | {variant.CpuPerCall * 1e6:N0} | " +
                $"{variant.AfterFirstCall.Rss / 1048576.0:N0} | {variant.AfterLoad.Rss / 1048576.0:N0} ({variant.AfterLoad.Peak / 1048576.0:N0}) |");
        }

        output.WriteLine();
        foreach (var build in builds)
        {
            var bytes = new DirectoryInfo(build.Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            output.WriteLine($"- {build.Name}: published output {bytes / 1048576.0:N1} MiB in {build.Directory}");
        }

        var readyToRun = variants.First(v => v.Build == builds[1] && !v.DynamoDb && !v.ParameterStore && v.Setting is null);
        var median = Median([.. readyToRun.Launches.Select(l => l.Total).Order()]);
        output.WriteLine();
        output.WriteLine($"| goal | measured | verdict |");
        output.WriteLine($"| --- | --- | --- |");
        output.WriteLine($"| cold start to first proxied call < 400 ms with ReadyToRun | {median.ToString("N0", CultureInfo.InvariantCulture)} ms (median, in-memory counters) | {(median < 400 ? "met" : "**missed**")} |");
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

using System.Globalization;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;
using McpGateway.Performance.Servers;

namespace McpGateway.Performance.ColdStart;

/// <summary>
/// The published host under load, JIT beside Native AOT (issue 20): AOT has no tiered compilation and no dynamic
/// PGO, so steady-state throughput may differ from the JIT build's. Both processes run at once against the same
/// upstream, with the file configuration and in-memory counters, and are measured alternately, at concurrency 1
/// (what one Lambda instance serves) and 64, round after round, so machine noise falls on both alike.
/// </summary>
internal static class BuildLoadCommand
{
    private static readonly int[] Concurrencies = [1, 64];

    public static async Task<int> RunAsync(int rounds, double seconds)
    {
        ColdStartCommand.Build[] builds =
        [
            new("JIT (framework-dependent)", Path.Combine(RepoPaths.Work, "host-jit"), []),
            new("Native AOT", Path.Combine(RepoPaths.Work, "host-aot"), ["-r", "linux-x64", "-p:PublishAot=true"], Native: true),
        ];
        foreach (var build in builds)
        {
            await ColdStartCommand.PublishAsync(build);
        }

        await using var upstream = await McpUpstream.StartAsync();
        var config = BenchConfig.Write(upstream.BaseUrl, RepoPaths.Work);
        using var client = new ToolCallClient(64);
        var buffer = new byte[64 * 1024];
        var token = config.Token(ResponseMode.Json);
        var processes = new List<ManagedProcess>();
        var targets = new List<Target>();
        try
        {
            foreach (var build in builds)
            {
                var port = Loopback.FreePort();
                var environment = new Dictionary<string, string?>
                {
                    ["Gateway__SessionKey"] = "bWNwLWdhdGV3YXktcGVyZi1zZXNzaW9uLWtleS0zMi1ieXRlcyE=",
                    ["DOTNET_NOLOGO"] = "1",
                };
                string[] arguments = ["--config", config.Path, "--urls", $"http://127.0.0.1:{port}"];
                processes.Add(build.Native ? new ManagedProcess(build.Entry, arguments, environment, keepLines: 200) : new ManagedProcess("dotnet", [build.Entry, .. arguments], environment, keepLines: 200));
                var url = new Uri($"http://127.0.0.1:{port}/mcp/{BenchConfig.ServerName(ResponseMode.Json)}");
                await WaitUntilAnsweringAsync(client, url, token, buffer, processes[^1]);
                targets.Add(new Target(build.Name, build.Name, _ => url, IsGateway: true));
            }

            var phase = new LoadPhase(client, Concurrencies.Max());
            var stats = targets.ToDictionary(t => t.Key, _ => Concurrencies.ToDictionary(c => c, _ => new PathStats()));

            // Warm-up: the JIT build reaches tier 1 with PGO here; AOT code is what it is from the start.
            foreach (var target in targets)
            {
                await phase.RunAsync(target, ResponseMode.Json, ToolCallPayload.Small, token, 16, TimeSpan.FromSeconds(Math.Max(5, seconds)));
            }

            for (var round = 0; round < rounds; round++)
            {
                LoadBenchmark.Progress($"build load round {round + 1}/{rounds}");
                foreach (var concurrency in Concurrencies)
                {
                    foreach (var target in round % 2 == 0 ? targets : Enumerable.Reverse(targets))
                    {
                        var result = await phase.RunAsync(target, ResponseMode.Json, ToolCallPayload.Small, token, concurrency, TimeSpan.FromSeconds(seconds));
                        if (result.Errors > 0)
                        {
                            throw new InvalidOperationException($"{target.Key}: {result.Errors} calls failed: {result.FirstError}");
                        }

                        stats[target.Key][concurrency].Add(result);
                    }
                }
            }

            var machine = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}";
            Console.WriteLine($"## JIT and Native AOT under load ({rounds} rounds of {seconds.ToString(CultureInfo.InvariantCulture)} s per build and concurrency, alternating; {machine})");
            Console.WriteLine();
            Console.WriteLine("| build | concurrency | calls/s | p50 µs | p99 µs |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var concurrency in Concurrencies)
            {
                foreach (var target in targets)
                {
                    var s = stats[target.Key][concurrency];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {target.Key} | {concurrency} | {s.Throughput:N0} | {s.PercentileMicros(50):N0} | {s.PercentileMicros(99):N0} |"));
                }
            }

            foreach (var concurrency in Concurrencies)
            {
                var jit = stats[targets[0].Key][concurrency].Throughput;
                var aot = stats[targets[1].Key][concurrency].Throughput;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nAt concurrency {concurrency}, Native AOT serves {aot / jit:P0} of the JIT build's calls per second."));
            }

            return 0;
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilAnsweringAsync(ToolCallClient client, Uri url, string token, byte[] buffer, ManagedProcess process)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                var problem = await client.CallAsync(url, ResponseMode.Json, ToolCallPayload.Small, token, buffer, deadline.Token);
                if (problem is not null)
                {
                    throw new InvalidOperationException($"{url}: the first call was answered wrongly: {problem}");
                }

                return;
            }
            catch (HttpRequestException) when (!deadline.IsCancellationRequested && !process.HasExited)
            {
                await Task.Delay(10);
            }
        }
    }
}

using System.Globalization;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;

namespace McpGateway.Performance.Profiling;

/// <summary>
/// Runs one path alone, long enough for <c>dotnet-trace collect -p PID</c> to watch it, and samples
/// allocations by type for that path and for the direct path; the difference per call is what the path
/// itself allocates, type by type (the goal of issue 8 is a number; this says where it comes from).
/// </summary>
internal static class ProfileCommand
{
    public static async Task<int> RunAsync(string path, ResponseMode mode, PayloadSize size, int concurrency, double seconds, DecisionLogReader decisionLog)
    {
        await using var environment = await BenchEnvironment.StartAsync(decisionLog);
        var target = environment.Target(path);
        var direct = environment.Target("a");
        var payload = ToolCallPayload.For(size);
        var token = environment.Config.Token(mode);
        using var client = new ToolCallClient(2 * concurrency);
        var phase = new LoadPhase(client, concurrency);
        using var sampler = new AllocationSampler();

        LoadBenchmark.Progress($"warming up {target.Label} and {direct.Label}");
        await phase.RunAsync(direct, mode, payload, token, concurrency, TimeSpan.FromSeconds(5));
        await phase.RunAsync(target, mode, payload, token, concurrency, TimeSpan.FromSeconds(10));

        sampler.Start();
        var baseline = await phase.RunAsync(direct, mode, payload, token, concurrency, TimeSpan.FromSeconds(Math.Min(seconds, 10)));
        var directTypes = sampler.Stop();

        LoadBenchmark.Progress($"process {Environment.ProcessId}: {target.Label} alone for {seconds:0} s (attach: dotnet-trace collect -p {Environment.ProcessId})");
        sampler.Start();
        var measured = await phase.RunAsync(target, mode, payload, token, concurrency, TimeSpan.FromSeconds(seconds));
        var targetTypes = sampler.Stop();
        if (measured.Errors > 0 || baseline.Errors > 0)
        {
            Console.Error.WriteLine($"calls failed: {measured.FirstError ?? baseline.FirstError}");
            return 1;
        }

        var perCall = (double)measured.AllocatedBytes / measured.Requests;
        var directPerCall = (double)baseline.AllocatedBytes / baseline.Requests;
        Console.Out.WriteLine($"{target.Label}, {mode} {size}, concurrency {concurrency}: {measured.Requests / measured.Seconds:N0} calls/s, {perCall:N0} B allocated per call ({perCall - directPerCall:+#,0;-#,0} B over {direct.Label})");
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{"type (sampled every ~100 KB)",-90} {"B/call",8} {"direct",8} {"added",8}");
        var rows = targetTypes.Keys.Union(directTypes.Keys)
            .Select(type => (Type: type, Target: targetTypes.GetValueOrDefault(type) / (double)measured.Requests, Direct: directTypes.GetValueOrDefault(type) / (double)baseline.Requests))
            .OrderByDescending(r => r.Target - r.Direct)
            .Take(60);
        foreach (var (type, perTarget, perDirect) in rows)
        {
            Console.Out.WriteLine($"{(type.Length > 90 ? type[..87] + "..." : type),-90} {perTarget,8:N0} {perDirect,8:N0} {(perTarget - perDirect).ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture),8}");
        }

        return 0;
    }
}

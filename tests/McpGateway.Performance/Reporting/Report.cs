using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;

namespace McpGateway.Performance.Reporting;

/// <summary>
/// Prints the figures: a block per scenario as it completes, then summary tables (Markdown, so they can go
/// into the README as printed) and the goals of issue 8 with their verdicts.
/// </summary>
internal sealed class Report(Target[] targets, LoadSettings settings)
{
    /// <summary>Goal: (c) adds at most YARP's added latency plus this much at p50...</summary>
    private const double P50AllowanceMicros = 100;

    /// <summary>...and plus this much at p99.</summary>
    private const double P99AllowanceMicros = 300;

    /// <summary>Goal: (c) serves at least this fraction of (b)'s throughput at concurrency 64.</summary>
    private const double ThroughputRatio = 0.8;

    /// <summary>Goal: the gateway allocates less than this per proxied small call.</summary>
    private const double AllocationBudget = 8 * 1024;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static TextWriter Out => Console.Out;

    public void WriteScenario(Scenario scenario, Dictionary<(Scenario, string), PathStats> results)
    {
        var direct = results[(scenario, "a")];
        Out.WriteLine();
        Out.WriteLine($"{scenario.Describe()}: {settings.Rounds} interleaved rounds of {settings.PhaseSeconds:0.##} s per path");
        Out.WriteLine($"{"path",-24} {"calls",8} {"p50 us",8} {"p99 us",8} {"+p50 us",8} {"+p99 us",8} {"calls/s",8} {"CPU us",7} {"+CPU us",8} {"alloc B",8} {"+alloc B",9}");
        foreach (var target in targets)
        {
            var stats = results[(scenario, target.Key)];
            var isDirect = target.Key == "a";
            Out.WriteLine(
                $"{target.Label,-24} {stats.Requests,8:N0} {stats.PercentileMicros(50),8:N0} {stats.PercentileMicros(99),8:N0} " +
                $"{(isDirect ? "-" : Added(stats, direct, 50)),8} {(isDirect ? "-" : Added(stats, direct, 99)),8} {stats.Throughput,8:N0} " +
                $"{stats.CpuMicrosPerRequest,7:N0} {(isDirect ? "-" : Signed(stats.CpuMicrosPerRequest - direct.CpuMicrosPerRequest)),8} " +
                $"{stats.AllocatedPerRequest,8:N0} {(isDirect ? "-" : Signed(stats.AllocatedPerRequest - direct.AllocatedPerRequest)),9}" +
                (stats.Errors > 0 ? $"  {stats.Errors} FAILED" : ""));
        }

        var dynamo = targets.FirstOrDefault(t => t.ExternalProcessId is not null);
        if (dynamo is not null)
        {
            Out.WriteLine($"{"",-24} dynalite (a separate node process) spent {results[(scenario, dynamo.Key)].ExternalCpuMicrosPerRequest:N0} us of CPU per call of {dynamo.Label[..3]}");
        }
    }

    public void WriteSummary(Scenario[] scenarios, Dictionary<(Scenario, string), PathStats> results, IReadOnlyList<string> checks, TimeSpan elapsed)
    {
        var proxies = targets.Where(t => t.Key != "a").ToArray();
        Out.WriteLine();
        Out.WriteLine("## Summary");
        Out.WriteLine();
        Out.WriteLine(Environment());
        Out.WriteLine();
        Out.WriteLine("Added latency versus (a) direct, microseconds, p50 / p99:");
        Out.WriteLine();
        Out.WriteLine("| scenario | (a) direct p50 / p99 | " + string.Join(" | ", proxies.Select(p => p.Label)) + " |");
        Out.WriteLine("| --- | ---: | " + string.Join(" | ", proxies.Select(_ => "---:")) + " |");
        foreach (var scenario in scenarios)
        {
            var direct = results[(scenario, "a")];
            Out.WriteLine(
                $"| {scenario.Short} | {direct.PercentileMicros(50):N0} / {direct.PercentileMicros(99):N0} | " +
                string.Join(" | ", proxies.Select(p => $"{Added(results[(scenario, p.Key)], direct, 50)} / {Added(results[(scenario, p.Key)], direct, 99)}")) + " |");
        }

        Out.WriteLine();
        Out.WriteLine("Throughput (calls/s), and what each proxy adds per call: allocation (bytes, the runtime's allocated-bytes counter) and CPU (microseconds, this process):");
        Out.WriteLine();
        Out.WriteLine("| scenario | " + string.Join(" | ", targets.Select(t => t.Label[..t.Label.IndexOf(')')] + ") calls/s")) + " | (c)/(b) | " +
                      string.Join(" | ", proxies.Select(p => p.Label[..p.Label.IndexOf(')')] + ") +B")) + " | " +
                      string.Join(" | ", proxies.Select(p => p.Label[..p.Label.IndexOf(')')] + ") +CPU us")) + " |");
        Out.WriteLine("| --- | " + string.Join(" | ", Enumerable.Repeat("---:", targets.Length + 1 + (2 * proxies.Length))) + " |");
        foreach (var scenario in scenarios)
        {
            var direct = results[(scenario, "a")];
            Out.WriteLine(
                $"| {scenario.Short} | " + string.Join(" | ", targets.Select(t => results[(scenario, t.Key)].Throughput.ToString("N0", Invariant))) +
                $" | {results[(scenario, "c")].Throughput / results[(scenario, "b")].Throughput:P0} | " +
                string.Join(" | ", proxies.Select(p => Signed(results[(scenario, p.Key)].AllocatedPerRequest - direct.AllocatedPerRequest))) + " | " +
                string.Join(" | ", proxies.Select(p => Signed(results[(scenario, p.Key)].CpuMicrosPerRequest - direct.CpuMicrosPerRequest))) + " |");
        }

        Out.WriteLine();
        Out.WriteLine("Goals (issue 8); latency goals are judged at concurrency 1, where latency is the work of one call (at 16 and 64 the two cores are saturated and latency is queueing: concurrency / throughput):");
        Out.WriteLine();
        Out.WriteLine("| goal | scenario | measured | verdict |");
        Out.WriteLine("| --- | --- | --- | --- |");
        foreach (var scenario in scenarios.Where(s => s.Concurrency == 1))
        {
            var direct = results[(scenario, "a")];
            var yarp = results[(scenario, "b")];
            var gateway = results[(scenario, "c")];
            var p50 = (gateway.PercentileMicros(50) - direct.PercentileMicros(50)) - (yarp.PercentileMicros(50) - direct.PercentileMicros(50));
            var p99 = (gateway.PercentileMicros(99) - direct.PercentileMicros(99)) - (yarp.PercentileMicros(99) - direct.PercentileMicros(99));
            Out.WriteLine($"| (c) +p50 <= (b) +p50 + {P50AllowanceMicros:0} us | {scenario.Short} | (c) {Added(gateway, direct, 50)} vs (b) {Added(yarp, direct, 50)}: {Signed(p50)} us | {Verdict(p50 <= P50AllowanceMicros)} |");
            Out.WriteLine($"| (c) +p99 <= (b) +p99 + {P99AllowanceMicros:0} us | {scenario.Short} | (c) {Added(gateway, direct, 99)} vs (b) {Added(yarp, direct, 99)}: {Signed(p99)} us | {Verdict(p99 <= P99AllowanceMicros)} |");
        }

        foreach (var scenario in scenarios.Where(s => s.Concurrency == 64))
        {
            var ratio = results[(scenario, "c")].Throughput / results[(scenario, "b")].Throughput;
            Out.WriteLine($"| (c) calls/s >= {ThroughputRatio:P0} of (b) at c=64 | {scenario.Short} | {results[(scenario, "c")].Throughput:N0} vs {results[(scenario, "b")].Throughput:N0}: {ratio:P0} | {Verdict(ratio >= ThroughputRatio)} |");
        }

        foreach (var scenario in scenarios.Where(s => s.Size == PayloadSize.Small))
        {
            var added = results[(scenario, "c")].AllocatedPerRequest - results[(scenario, "a")].AllocatedPerRequest;
            Out.WriteLine($"| (c) allocates < {AllocationBudget / 1024:0} KB per small call | {scenario.Short} | {added:N0} B | {Verdict(added < AllocationBudget)} |");
        }

        Out.WriteLine();
        foreach (var check in checks)
        {
            Out.WriteLine("- " + check);
        }

        var (rss, peak) = ProcessStats.Memory();
        Out.WriteLine($"- harness process (all five servers, the client and the upstream together): RSS {rss / 1048576.0:N0} MiB, peak {peak / 1048576.0:N0} MiB; the gateway's own RSS is measured alone by `cold-start`");
        Out.WriteLine($"- run took {elapsed.TotalMinutes:0.0} minutes");
    }

    /// <summary>One line naming the machine and runtime, for the README beside the figures.</summary>
    public static string Environment()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(':')[1].Trim();
        return new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Machine: {System.Environment.ProcessorCount} cores ({cpu}), {long.Parse(memory.Split(' ')[0], Invariant) / 1048576.0:0} GiB; ")
            .Append(CultureInfo.InvariantCulture, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}; ")
            .Append(GCSettings.IsServerGC ? "server GC" : "workstation GC")
            .Append(CultureInfo.InvariantCulture, $"; tiered PGO {(AppContext.TryGetSwitch("System.Runtime.TieredPGO", out var pgo) && !pgo ? "off" : "on")}.")
            .ToString();
    }

    private static string Added(PathStats stats, PathStats direct, double percentile) =>
        Signed(stats.PercentileMicros(percentile) - direct.PercentileMicros(percentile));

    private static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString("N0", Invariant);

    private static string Verdict(bool met) => met ? "met" : "**missed**";
}

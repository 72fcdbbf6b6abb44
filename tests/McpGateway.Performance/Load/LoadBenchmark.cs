using System.Diagnostics;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Reporting;
using McpGateway.Performance.Servers;

namespace McpGateway.Performance.Load;

/// <summary>How long each part of a load run lasts; <see cref="Full"/> fits in about five minutes on two cores.</summary>
internal sealed record LoadSettings(double WarmupSeconds, double ScenarioWarmupSeconds, double PhaseSeconds, int Rounds, int[] Concurrencies, DecisionLogReader DecisionLog)
{
    public static LoadSettings Full(DecisionLogReader decisionLog) => new(0.6, 0.25, 1.0, 4, [1, 16, 64], decisionLog);

    public static LoadSettings Quick(DecisionLogReader decisionLog) => new(0.3, 0.1, 0.25, 3, [1, 16, 64], decisionLog);

    public double EstimatedSeconds(int targets, int scenarios) =>
        (targets * 4 * WarmupSeconds) + (scenarios * targets * (ScenarioWarmupSeconds + (Rounds * PhaseSeconds)));
}

/// <summary>
/// The load run of issue 8: every path to the same upstream, hosted in this one process on 127.0.0.1, measured
/// scenario by scenario in short interleaved phases (a, b, b', c, d, then the next round in rotated order)
/// so that whatever else the machine does falls on every path alike.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<int> RunAsync(LoadSettings settings)
    {
        var clock = Stopwatch.StartNew();
        Progress("starting dynalite, the upstream, the pass-throughs and the gateways on 127.0.0.1");
        await using var environment = await BenchEnvironment.StartAsync(settings.DecisionLog);
        var targets = environment.Targets;
        var config = environment.Config;
        var sink = environment.DecisionLog;

        var scenarios = (
            from mode in new[] { ResponseMode.Json, ResponseMode.Sse }
            from size in new[] { PayloadSize.Small, PayloadSize.Medium }
            from concurrency in settings.Concurrencies
            select new Scenario(mode, size, concurrency)).ToArray();

        using var client = new ToolCallClient(maxConnectionsPerServer: 2 * settings.Concurrencies.Max());
        var phase = new LoadPhase(client, settings.Concurrencies.Max());
        Progress($"about {settings.EstimatedSeconds(targets.Length, scenarios.Length) / 60:0.0} minutes of load: {scenarios.Length} scenarios x {targets.Length} paths, " +
                 $"{settings.Rounds} interleaved rounds of {settings.PhaseSeconds:0.##} s each");

        // Warm every path in every form first: JIT tiers, connection pools, the AWS SDK's first request.
        foreach (var mode in new[] { ResponseMode.Json, ResponseMode.Sse })
        {
            foreach (var size in new[] { PayloadSize.Small, PayloadSize.Medium })
            {
                foreach (var target in targets)
                {
                    var warm = await phase.RunAsync(target, mode, ToolCallPayload.For(size), config.Token(mode), 8, TimeSpan.FromSeconds(settings.WarmupSeconds));
                    if (warm.Errors > 0)
                    {
                        Console.Error.WriteLine($"{target.Label}, {mode} {size}: {warm.Errors} failed calls while warming up; first: {warm.FirstError}");
                        return 1;
                    }
                }
            }
        }

        var results = new Dictionary<(Scenario, string), PathStats>();
        var report = new Report(targets, settings);
        var index = 0;
        foreach (var scenario in scenarios)
        {
            Progress($"[{++index}/{scenarios.Length}] {scenario.Describe()}");
            var payload = ToolCallPayload.For(scenario.Size);
            var token = config.Token(scenario.Mode);
            foreach (var target in targets)
            {
                await phase.RunAsync(target, scenario.Mode, payload, token, scenario.Concurrency, TimeSpan.FromSeconds(settings.ScenarioWarmupSeconds));
                results[(scenario, target.Key)] = new PathStats();
            }

            for (var round = 0; round < settings.Rounds; round++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    // Rotate the order each round so no path always follows the same neighbour.
                    var target = targets[(i + round) % targets.Length];
                    results[(scenario, target.Key)].Add(await phase.RunAsync(target, scenario.Mode, payload, token, scenario.Concurrency, TimeSpan.FromSeconds(settings.PhaseSeconds)));
                }
            }

            report.WriteScenario(scenario, results);
        }

        var checks = new List<string>();
        var failed = targets.SelectMany(t => scenarios.Select(s => (t, Stats: results[(s, t.Key)]))).Where(x => x.Stats.Errors > 0).ToList();
        foreach (var (target, stats) in failed)
        {
            checks.Add($"FAILED: {target.Label}: {stats.Errors} calls failed; first: {stats.FirstError}");
        }

        foreach (var (error, count) in PassThroughErrors.Snapshot())
        {
            checks.Add($"FAILED: pass-through error {error} x{count}");
        }

        if (sink is not null)
        {
            var lines = await sink.SettleAsync();
            checks.Add(lines == phase.GatewayCalls
                ? $"decision log: {lines:N0} lines for {phase.GatewayCalls:N0} gateway calls ({sink.Bytes / (double)Math.Max(1, lines):0} B a line), written to a pipe read " +
                  (settings.DecisionLog == DecisionLogReader.Eager ? "as each line arrives (--eager-log-reader)" : "every millisecond")
                : $"FAILED: decision log has {lines:N0} lines for {phase.GatewayCalls:N0} gateway calls");
        }
        else
        {
            checks.Add("decision log: off (--no-decision-log)");
        }

        report.WriteSummary(scenarios, results, checks, clock.Elapsed);
        return checks.Any(c => c.StartsWith("FAILED", StringComparison.Ordinal)) ? 1 : 0;
    }

    public static void Progress(string message) => Console.Error.WriteLine($"[perf {DateTime.Now:HH:mm:ss}] {message}");
}

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Median and Min next to Mean: on a shared 2-core box a few preempted iterations inflate the mean, and
// the spread between the three shows by how much.
var config = DefaultConfig.Instance
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond)
    .WithOptions(ConfigOptions.JoinSummary);

// One launch, 3 warmup and 10 measured iterations: enough to keep the error column readable while the
// whole suite finishes in two to three minutes on a 2-core machine (docs/performance.md, "Policy evaluation benchmark").
// An explicit --job on the command line (e.g. --job dry to check that every case runs) replaces it.
if (!args.Any(arg => arg is "--job" or "-j" || arg.StartsWith("--job=", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// One launch, 3 warmup and 10 measured iterations: enough to keep the error column readable while the
// whole suite finishes in about three minutes on a 2-core machine (README, "Policy evaluation benchmark").
// An explicit --job on the command line (e.g. --job dry to check that every case runs) replaces it.
var config = DefaultConfig.Instance
    .AddColumn(StatisticColumn.OperationsPerSecond)
    .WithOptions(ConfigOptions.JoinSummary);
if (!args.Any(arg => arg is "--job" or "-j" || arg.StartsWith("--job=", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

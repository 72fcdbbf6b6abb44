using McpGateway.Performance.ColdStart;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;
using McpGateway.Performance.Load;
using McpGateway.Performance.Profiling;

// One command runs the load matrix (issue 8); `cold-start` measures launches of the published host;
// `profile` runs one path alone so a profiler can watch it. See docs/performance.md.
const string Usage = """
    usage: dotnet run -c Release --project tests/McpGateway.Performance -- [command] [options]
      (no command)      the load run: paths (a) direct, (b) YARP, (b') bare pass-through, (c) gateway with
                        in-memory counters, (d) gateway with DynamoDB counters on dynalite, (s) gateway as (c)
                        with every upstream request SigV4-signed; about 6 minutes
        --quick         a smoke run of about 1 minute
        --no-decision-log   run the gateways without their stdout decision log (for comparison only)
        --eager-log-reader  read the decision log as each line arrives instead of every millisecond
      cold-start        publish the host framework-dependent (JIT), ReadyToRun and Native AOT, and time launch
                        to the first proxied tools/call; also the gateway process's RSS
        --quick         3 launches per variant instead of 5
        --env NAME=VALUE   set in every launched gateway (repeatable), to compare runtime settings
        --no-dynamodb   launch only the variants with a file and in-memory counters (no dynalite, no moto)
        --compare NAME=VALUE   add ReadyToRun variants with this setting, launched in the same rounds (repeatable)
        --launches N    launches per variant (default 5, 3 with --quick)
      build-load        publish the host JIT and Native AOT, run both, and measure calls/s and latency of each at
                        concurrency 1 and 64, alternating (issue 20)
        --rounds N      measured rounds (default 3)  --seconds N   seconds per build and concurrency (default 10)
      profile           run one path alone for a profiler (dotnet-trace) and sample its allocations by type
        --path c|d|s|b|b'|a   (default c)  --mode json|sse  --size small|medium  --concurrency N  --seconds N
        --no-decision-log, --eager-log-reader   as for the load run
    """;

var command = args.FirstOrDefault() is { } first && !first.StartsWith('-') ? first : "load";
var options = args.Where(a => a.StartsWith('-')).ToHashSet(StringComparer.Ordinal);
var logReader = options.Contains("--no-decision-log") ? DecisionLogReader.Off
    : options.Contains("--eager-log-reader") ? DecisionLogReader.Eager
    : DecisionLogReader.Batched;
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

try
{
    return command switch
    {
        "load" => await LoadBenchmark.RunAsync(options.Contains("--quick") ? LoadSettings.Quick(logReader) : LoadSettings.Full(logReader)),
        "cold-start" => await ColdStartCommand.RunAsync(
            int.Parse(Option("--launches", options.Contains("--quick") ? "3" : "5"), System.Globalization.CultureInfo.InvariantCulture),
            Pairs("--env").ToDictionary(StringComparer.Ordinal),
            !options.Contains("--no-dynamodb"),
            [.. Pairs("--compare")]),
        "build-load" => await BuildLoadCommand.RunAsync(
            int.Parse(Option("--rounds", "3"), System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("--seconds", "10"), System.Globalization.CultureInfo.InvariantCulture)),
        "profile" => await ProfileCommand.RunAsync(
            Option("--path", "c"),
            Option("--mode", "json") == "sse" ? ResponseMode.Sse : ResponseMode.Json,
            Option("--size", "small") == "medium" ? PayloadSize.Medium : PayloadSize.Small,
            int.Parse(Option("--concurrency", "16"), System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("--seconds", "20"), System.Globalization.CultureInfo.InvariantCulture),
            logReader),
        _ => Fail(),
    };
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or TimeoutException)
{
    Console.Error.WriteLine("perf: " + ex.Message);
    return 2;
}

IEnumerable<KeyValuePair<string, string>> Pairs(string option) =>
    args.Zip(args.Skip(1)).Where(p => p.First == option && p.Second.Contains('=', StringComparison.Ordinal))
        .Select(p => p.Second.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]));

int Fail()
{
    Console.Error.WriteLine(Usage);
    return 64;
}

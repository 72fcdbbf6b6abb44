using System.CommandLine;
using McpGateway.Cli.Stats;
using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw stats</c>: calls, outcomes and latency per tool, grant or server, from decision logs.</summary>
internal static class StatsCommand
{
    public static Command Create(TextReader standardInput)
    {
        var logs = new Option<string[]>("--log")
        {
            Description = "Decision log files (the gateway's standard output); - or none reads standard input.",
            AllowMultipleArgumentsPerToken = true,
        };
        var by = new Option<string>("--by") { Description = "Group by tool (server/tool), grant or server.", DefaultValueFactory = _ => "tool" };
        by.AcceptOnlyFromAmong("tool", "grant", "server");
        var since = new Option<string?>("--since") { Description = "Only calls within this long before now: 30s, 15m, 2h, 7d." };
        var format = new Option<string>("--format") { Description = "table (aligned columns) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("stats", "Summarise decision logs: calls, forwarded, denied, rate-limited, approvals, upstream failures, latency p50/p99.")
        {
            logs, by, since, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } window)
            {
                if (!Duration.TryParse(window, out var span))
                {
                    error.WriteLine($"--since \"{window}\" is not a duration: use a whole number and s, m, h or d (30s, 15m, 2h, 7d)");
                    return CliApp.UsageError;
                }

                from = DateTimeOffset.UtcNow - span;
            }

            var stats = new DecisionLogStats(result.GetRequiredValue(by), from);
            var files = result.GetValue(logs) is { Length: > 0 } named ? named : ["-"];
            foreach (var file in files)
            {
                if (file == "-")
                {
                    await stats.ReadAsync(standardInput, cancellationToken);
                    continue;
                }

                if (!File.Exists(file))
                {
                    error.WriteLine($"{file}: no such file");
                    return 1;
                }

                using var reader = new StreamReader(file);
                await stats.ReadAsync(reader, cancellationToken);
            }

            if (stats.Unreadable > 0)
            {
                error.WriteLine($"{stats.Unreadable} line(s) looked like JSON but did not parse; they are not counted");
            }

            output.Write(result.GetRequiredValue(format) == "json" ? stats.Json() : stats.Table());
            return 0;
        });
        return command;
    }
}

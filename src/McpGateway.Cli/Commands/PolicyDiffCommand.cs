using System.CommandLine;
using McpGateway.Cli.Diff;
using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary>
/// <c>mcpgw policy diff OLD NEW [--log FILE]... [--format table|json]</c> (issue 17): what changes between two policy
/// documents, tool by tool, or, over decision logs, which of the logged calls would be decided otherwise.
/// </summary>
internal static class PolicyDiffCommand
{
    public const int NoChange = 0;
    public const int Changes = 1;

    public static Command Create(TextReader standardInput)
    {
        var oldFile = new Argument<FileInfo>("OLD") { Description = "The policy document in force (JSON, format v1)." };
        var newFile = new Argument<FileInfo>("NEW") { Description = "The policy document proposed." };
        var logs = new Option<string[]>("--log")
        {
            Description = "Decision logs (the gateway's standard output) whose tools/call lines are replayed against both documents; - reads standard input. Without it, the documents are compared rule by rule.",
            AllowMultipleArgumentsPerToken = true,
        };
        var format = new Option<string>("--format") { Description = "table (aligned columns) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command(
            "diff",
            "Compare two policy documents: without --log, what each allows, denies, hides, limits or sends for approval, tool by tool; with --log, which logged calls would be decided otherwise. Exit 0 no change, 1 changes found (or, over a log, calls the log cannot decide), 64 usage or an unreadable document or log.")
        {
            oldFile, newFile, logs, format,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var oldPolicy = Load(result.GetRequiredValue(oldFile), error);
            var newPolicy = Load(result.GetRequiredValue(newFile), error);
            if (oldPolicy is null || newPolicy is null)
            {
                return CliApp.UsageError;
            }

            var json = result.GetRequiredValue(format) == "json";
            if (result.GetValue(logs) is not { Length: > 0 } files)
            {
                var rows = StaticDiff.Compare(oldPolicy, newPolicy);
                output.Write(json ? StaticDiff.Json(rows) : StaticDiff.Table(rows));
                return StaticDiff.HasChanges(rows) ? Changes : NoChange;
            }

            var reader = new DecisionLogReader();
            foreach (var file in files)
            {
                if (file == "-")
                {
                    await reader.ReadAsync(standardInput, cancellationToken);
                    continue;
                }

                if (!File.Exists(file))
                {
                    error.WriteLine($"{file}: no such file");
                    return CliApp.UsageError;
                }

                using var stream = new StreamReader(file);
                await reader.ReadAsync(stream, cancellationToken);
            }

            var replay = LogReplay.Run(oldPolicy, newPolicy, reader.Calls);
            output.Write(json ? ReplayReport.Json(replay, reader.Unreadable) : ReplayReport.Table(replay, reader.Unreadable));
            return replay.Changed.Count > 0 || replay.Undecidable.Count > 0 ? Changes : NoChange;
        });
        return command;
    }

    private static CompiledPolicy? Load(FileInfo file, TextWriter error)
    {
        var parsed = PolicyFile.Load(file.FullName, out var readError);
        if (readError is not null)
        {
            error.WriteLine($"{file}: {readError}");
            return null;
        }

        if (!parsed!.IsValid)
        {
            error.WriteLine($"{file}: the policy is invalid:");
            foreach (var problem in parsed.Problems)
            {
                error.WriteLine($"  {problem}");
            }

            return null;
        }

        return CompiledPolicy.Compile(parsed.Document);
    }
}

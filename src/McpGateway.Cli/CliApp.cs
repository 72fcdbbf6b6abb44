using System.CommandLine;
using McpGateway.Cli.Commands;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.Cli;

/// <summary>
/// The <c>mcpgw</c> command tree. Kept separate from <c>Program</c> so tests run the very same commands
/// in-process with their own writers.
/// </summary>
internal static class CliApp
{
    /// <summary>Exit code for command-line usage errors (BSD sysexits EX_USAGE), distinct from policy outcomes.</summary>
    public const int UsageError = 64;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, ParameterStoreAccess.FromEnvironment, cancellationToken);

    /// <summary>Runs with a given way to reach Parameter Store (tests pass a client for their emulator).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, ParameterStoreAccess parameterStore, CancellationToken cancellationToken = default)
    {
        var parsed = CreateRootCommand(parameterStore).Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            await parsed.InvokeAsync(configuration, cancellationToken);
            return UsageError;
        }

        return await parsed.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The whole command tree (the documentation tests walk it to check every command the docs name).</summary>
    public static RootCommand CreateRootCommand(ParameterStoreAccess parameterStore)
    {
        var root = new RootCommand("mcpgw: the MCP policy gateway's command line (policies, servers, grants, approvals, tool scans).");
        root.Subcommands.Add(PolicyCommands.Create(parameterStore));
        root.Subcommands.Add(ServerCommands.Create(parameterStore));
        root.Subcommands.Add(GrantCommands.Create(parameterStore));
        root.Subcommands.Add(AdminCommands.Create());
        root.Subcommands.Add(ApprovalCommands.Create());
        root.Subcommands.Add(ScanCommand.Create(parameterStore));
        root.Subcommands.Add(ToolsCommands.Create(parameterStore));
        root.Subcommands.Add(StatsCommand.Create(Console.In));
        return root;
    }
}

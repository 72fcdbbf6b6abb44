using McpGateway.Cli;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.IntegrationTests.Cli;

/// <summary>One in-process run of <c>mcpgw</c>: exit code and what it wrote to stdout and stderr.</summary>
internal sealed record CliRun(int Exit, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(ParameterStoreAccess parameterStore, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, parameterStore);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {Exit}\nstdout:\n{Output}\nstderr:\n{Error}";
}

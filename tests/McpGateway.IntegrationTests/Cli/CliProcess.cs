using System.Diagnostics;

namespace McpGateway.IntegrationTests.Cli;

/// <summary>The built <c>mcpgw</c> run as its own process, the way users run it.</summary>
internal static class CliProcess
{
    /// <summary>
    /// The CLI from its own build output, in the tests' configuration: the copy beside the tests carries the CLI's
    /// dependency manifest but not the package assemblies the tests' framework reference replaced.
    /// </summary>
    public static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(RepoPaths.Root, "src", "McpGateway.Cli", "bin", configuration, "net10.0", "mcpgw.dll");
        }
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="environment"/> set (a null value removes a variable).</summary>
    public static Task<CliRun> RunAsync(IDictionary<string, string?> environment, params string[] args) => RunProcessAsync(environment, null, args);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="input"/> written to standard input, which is then closed.</summary>
    public static Task<CliRun> RunWithInputAsync(string input, params string[] args) => RunProcessAsync(new Dictionary<string, string?>(), input, args);

    private static async Task<CliRun> RunProcessAsync(IDictionary<string, string?> environment, string? input, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        start.ArgumentList.Add(Dll);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}

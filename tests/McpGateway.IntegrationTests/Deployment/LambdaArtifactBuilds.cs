using System.Diagnostics;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// The Lambda artifacts as <c>sam build</c> makes them (<c>make build-GatewayFunction</c> into a fresh
/// ARTIFACTS_DIR), each architecture published once for the test class and deleted after it. Native AOT publishes
/// take minutes, and two at once would share the projects' obj folders, so they run one after another.
/// </summary>
public sealed class LambdaArtifactBuilds : IAsyncLifetime
{
    private readonly Dictionary<string, Task<string>> _builds = new(StringComparer.Ordinal);
    private readonly List<string> _directories = [];
    private Task _last = Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The artifact directory for <paramref name="architecture"/> (arm64 or x86_64), Native AOT.</summary>
    public Task<string> BuildAsync(string architecture)
    {
        lock (_builds)
        {
            if (!_builds.TryGetValue(architecture, out var build))
            {
                build = BuildAfterAsync(_last, architecture);
                _builds[architecture] = build;
                _last = build;
            }

            return build;
        }
    }

    /// <summary>Runs <c>make build-GatewayFunction</c> from the repository root; returns its exit code and output.</summary>
    internal static async Task<(int ExitCode, string Output)> MakeAsync(string artifacts, params string[] settings)
    {
        var start = new ProcessStartInfo("make") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in (string[])["build-GatewayFunction", "ARTIFACTS_DIR=" + artifacts, .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15));
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<string> BuildAfterAsync(Task previous, string architecture)
    {
        // One after another; a failed earlier build is its own test's failure, not this one's.
        await previous.ContinueWith(static _ => { }, TaskScheduler.Default);
        var artifacts = Directory.CreateTempSubdirectory("mcpgw-artifacts-" + architecture + "-").FullName;
        lock (_builds)
        {
            _directories.Add(artifacts);
        }

        var (exit, output) = await MakeAsync(artifacts, "LAMBDA_ARCH=" + architecture, "LAMBDA_BUILD=aot");
        return exit == 0 ? artifacts : throw new InvalidOperationException($"make build-GatewayFunction LAMBDA_ARCH={architecture} failed ({exit}):\n{output}");
    }
}

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// <c>infra/lambda/prerequisites.sh</c> run with a PATH the test controls: whatever is missing, it says what, and
/// never exits without saying (issue 20). No apt-get is on that PATH, so nothing is installed.
/// </summary>
public sealed class PrerequisitesScriptTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("prerequisites-").FullName;

    [Fact]
    public async Task OnlyTheDotnetSdkMissing_NamesItAndExitsOne()
    {
        // The tools the script itself runs, a C toolchain that answers, and no dotnet.
        foreach (var tool in new[] { "bash", "uname", "cut", "grep", "sort", "tr", "id", "cat" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin, tool), Which(tool));
        }

        foreach (var tool in new[] { "clang", "objcopy", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-objcopy" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin, tool), Which("true"));
        }

        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64";
        await using var script = new ManagedProcess(
            Path.Combine(_bin, "bash"),
            [Path.Combine(RepoPaths.Root, "infra", "lambda", "prerequisites.sh"), arch],
            new Dictionary<string, string?> { ["PATH"] = _bin });

        var exit = await script.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 1, $"exit {exit}: {script.Tail()}");
        Assert.Contains(script.StandardError, l => l.StartsWith("Native AOT for", StringComparison.Ordinal));
        Assert.Contains(script.StandardError, l => l.Contains("dotnet (the .NET 10 SDK", StringComparison.Ordinal));
        Assert.Contains(script.StandardError, l => l.Contains("LAMBDA_BUILD=r2r", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private static string Which(string tool) =>
        new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not in /usr/bin or /bin");
}

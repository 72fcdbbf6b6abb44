namespace McpGateway.Performance.Infrastructure;

/// <summary>Locations in the repository the harness starts things from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Dynalite => Path.Combine(Root, "infra", "node", "node_modules", "dynalite", "cli.js");

    public static string HostProject => Path.Combine(Root, "src", "McpGateway.Host", "McpGateway.Host.csproj");

    /// <summary>Scratch space of this run (configuration file, published hosts), under the harness's own bin directory.</summary>
    public static string Work { get; } = Path.Combine(AppContext.BaseDirectory, "perf-work");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Serverless.sln) above " + AppContext.BaseDirectory);
    }
}

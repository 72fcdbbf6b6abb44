namespace McpGateway.Testing;

/// <summary>Locations in the repository the tests and the performance harness start things from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string NodeDir => Path.Combine(Root, "infra", "node");

    public static string NodeModules => Path.Combine(NodeDir, "node_modules");

    public static string Dynalite => Path.Combine(NodeModules, "dynalite", "cli.js");

    public static string HostProject => Path.Combine(Root, "src", "McpGateway.Host", "McpGateway.Host.csproj");

    /// <summary>Scratch space of a harness run (configuration file, published hosts), under the running program's own bin directory.</summary>
    public static string Work { get; } = Path.Combine(AppContext.BaseDirectory, "perf-work");

    /// <summary>The gateway host built alongside the tests, in the same configuration.</summary>
    public static string GatewayDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(Root, "src", "McpGateway.Host", "bin", configuration, "net10.0", "McpGateway.Host.dll");
        }
    }

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

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Locations in the repository the tests start things from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string NodeDir => Path.Combine(Root, "infra", "node");

    public static string NodeModules => Path.Combine(NodeDir, "node_modules");

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

using System.Text.RegularExpressions;

namespace McpGateway.Tests.Architecture;

/// <summary>
/// The layout rules of issue 19, read from the source tree: the folders of the core library form a ladder
/// (no folder reaches, directly or through others, back to itself), the CLI stays off the HTTP layer, and no
/// source or test file grows past the size a reader can hold.
/// </summary>
public sealed partial class SourceLayoutTests
{
    private const int MaxSourceLines = 400;

    private static readonly string SourceRoot = Path.Combine(RepositoryRoot.Path, "src");

    [Fact]
    public void CoreLibrary_FolderImports_HaveNoCycle()
    {
        var graph = FolderGraph(Path.Combine(SourceRoot, "McpGateway"), "McpGateway");
        Assert.True(graph.Count >= 10, $"expected the library's folders, found {graph.Count}");

        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"folder import cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void FindCycle_TwoFoldersImportingEachOther_ReportsTheLoop()
    {
        // The check itself must be able to fail: a loop of two is found.
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["Enforcement"] = ["Hosting", "Policy"],
            ["Hosting"] = ["Enforcement"],
            ["Policy"] = [],
        };

        Assert.Equal(["Enforcement", "Hosting", "Enforcement"], FindCycle(graph));
    }

    [Theory]
    [InlineData("Hosting")]
    [InlineData("Endpoint")]
    [InlineData("Admin")]
    public void Cli_DoesNotImport_HttpLayer(string folder)
    {
        var offenders = SourceFiles(Path.Combine(SourceRoot, "McpGateway.Cli"))
            .Where(f => File.ReadLines(f).Any(l => l.Trim() == $"using McpGateway.{folder};"))
            .ToList();

        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("src")]
    [InlineData("tests")]
    public void Sources_EveryFile_AtMostFourHundredLines(string tree)
    {
        var root = Path.Combine(RepositoryRoot.Path, tree);
        var tooLong = SourceFiles(root)
            .Select(f => (File: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxSourceLines)
            .Select(f => $"{f.File} ({f.Lines})")
            .ToList();

        Assert.Empty(tooLong);
    }

    /// <summary>Folder to the library folders its files name in a <c>using</c> or a qualified name.</summary>
    private static Dictionary<string, HashSet<string>> FolderGraph(string libraryRoot, string rootNamespace)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(libraryRoot))
        {
            var relative = Path.GetRelativePath(libraryRoot, file);
            var separator = relative.IndexOf(Path.DirectorySeparatorChar);
            if (separator < 0)
            {
                continue; // files at the root (GatewayError, GatewayLog, GatewayOptions) are shared vocabulary
            }

            var folder = relative[..separator];
            var edges = graph.TryGetValue(folder, out var existing) ? existing : graph[folder] = [];
            foreach (Match match in NamespaceReference().Matches(File.ReadAllText(file)))
            {
                var target = match.Groups["folder"].Value;
                if (target != folder && Directory.Exists(Path.Combine(libraryRoot, target)))
                {
                    edges.Add(target);
                }
            }
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path[path.IndexOf(next)..], next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    internal static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"\bMcpGateway\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex NamespaceReference();
}

using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using McpGateway.Cli;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.Tests.Docs;

/// <summary>
/// Keeps the README and docs/ true (issue 19): every setting they name is bound by an options class (or read
/// where the exception list says), every <c>mcpgw</c> command they name exists, every relative link leads to
/// a file, and the README stays a front door.
/// </summary>
public sealed partial class DocumentationTests
{
    /// <summary>Settings read straight from the environment before configuration exists, with the file that reads each.</summary>
    private static readonly Dictionary<string, string> DirectSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Gateway:Warmup"] = Path.Combine("src", "McpGateway.Host", "Program.cs"),
    };

    private static readonly string Root = RepositoryRoot.Path;

    public static TheoryData<string> DocumentedSettings() => [.. Documents().SelectMany(d => SettingName().Matches(File.ReadAllText(d)).Select(m => Normalise(m.Value))).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    public static TheoryData<string> DocumentedCommands() => [.. Documents().SelectMany(d => CommandName().Matches(File.ReadAllText(d)).Select(m => m.Groups["path"].Value.Trim())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    [Fact]
    public void Readme_IsTheFrontDoor_SmallWithRunAndTestFirst()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        Assert.True(readme.Length < 16 * 1024, $"README.md is {readme.Length} bytes; the manual belongs in docs/");
        var run = readme.IndexOf("make run", StringComparison.Ordinal);
        var test = readme.IndexOf("make test", StringComparison.Ordinal);
        var firstSection = readme.IndexOf("\n## ", StringComparison.Ordinal);
        Assert.InRange(run, 0, readme.IndexOf("\n## ", firstSection + 1, StringComparison.Ordinal));
        Assert.InRange(test, 0, readme.IndexOf("\n## ", firstSection + 1, StringComparison.Ordinal));
        Assert.Contains("docs/", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DocumentedSettings))]
    public void DocumentedSetting_IsBoundByAnOptionsClass(string setting)
    {
        if (DirectSettings.TryGetValue(setting, out var reader))
        {
            Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), File.ReadAllText(Path.Combine(Root, reader)), StringComparison.Ordinal);
            return;
        }

        Assert.True(IsBound(setting), $"{setting} is named in the docs but no options class binds it");
    }

    [Fact]
    public void IsBound_SettingNoOptionsClassHas_IsFalse()
    {
        // The check must be able to fail: a made-up key under a real section and a made-up section.
        Assert.False(IsBound("Gateway:Counters:NoSuchSetting"));
        Assert.False(IsBound("Gateway:NoSuchSection:Table"));
        Assert.True(IsBound("Gateway:Counters:Table"));
    }

    [Theory]
    [MemberData(nameof(DocumentedCommands))]
    public void DocumentedCommand_ExistsInTheCli(string path)
    {
        Assert.True(CommandExists(path), $"`mcpgw {path}` is named in the docs but the CLI has no such command");
    }

    [Fact]
    public void CommandExists_UnknownSubcommand_IsFalse()
    {
        Assert.False(CommandExists("policy frobnicate"));
        Assert.True(CommandExists("policy validate"));
    }

    [Fact]
    public void Documents_EveryRelativeLink_LeadsToAFile()
    {
        var broken = new List<string>();
        foreach (var document in Documents())
        {
            foreach (Match link in RelativeLink().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length > 0 && !Path.Exists(Path.Combine(Path.GetDirectoryName(document)!, target)))
                {
                    broken.Add($"{Path.GetRelativePath(Root, document)} -> {target}");
                }
            }
        }

        Assert.Empty(broken);
    }

    private static bool IsBound(string setting)
    {
        var sections = typeof(GatewayOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => (x.Type, Section: (string)x.Field!.GetRawConstantValue()!))
            .ToList();

        foreach (var (type, section) in sections.OrderByDescending(s => s.Section.Length))
        {
            if (!setting.StartsWith(section, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = setting[section.Length..].TrimStart(':');
            if (rest.Length == 0)
            {
                return true;
            }

            var property = rest.Split(':')[0];
            if (type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool CommandExists(string path)
    {
        Command command = CliApp.CreateRootCommand(ParameterStoreAccess.FromEnvironment);
        foreach (var name in path.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = command.Subcommands.FirstOrDefault(c => c.Name == name);
            if (next is null)
            {
                // A word after a command without subcommands is its argument (`mcpgw policy validate FILE`).
                return command != null && command.Subcommands.Count == 0 && command is not RootCommand;
            }

            command = next;
        }

        return true;
    }

    private static string Normalise(string setting) => setting.Replace("__", ":", StringComparison.Ordinal).TrimEnd(':');

    private static IEnumerable<string> Documents() =>
        Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Prepend(Path.Combine(Root, "README.md"));

    [GeneratedRegex(@"\bGateway(?:(?::|__)[A-Za-z]+)+(?::|__)?")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\bmcpgw (?<path>[a-z][a-z-]*(?: [a-z][a-z-]*)?)")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"\]\((?<target>(?!https?:|mailto:|#)[^)\s]+)\)")]
    private static partial Regex RelativeLink();
}

using System.Collections.Frozen;
using System.Text.Json;
using McpGateway.Tools;

namespace McpGateway.Cli.Pinning;

/// <summary>One listed tool as <c>mcpgw tools</c> compares it with its pin.</summary>
internal sealed record ListedTool(string Name, string Fingerprint, string? Description);

/// <summary>A tool whose current definition is not its pinned one.</summary>
internal sealed record ChangedTool(string Name, string Pinned, string Seen, string? Description);

/// <summary>
/// What changed between a server's pins and its current tools (issue 15): tools it lists that are not pinned,
/// pinned tools it no longer lists, and pinned tools whose definition changed. Pins hold hashes only, so a
/// changed tool is shown with both hashes and its description as the server now gives it.
/// </summary>
internal sealed record ToolDrift(
    IReadOnlyList<ListedTool> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<ChangedTool> Changed,
    IReadOnlyList<string> Unchanged)
{
    public bool Any => Added.Count > 0 || Removed.Count > 0 || Changed.Count > 0;

    /// <summary>The drift of <paramref name="listed"/> from <paramref name="pins"/>, over the tools in <paramref name="only"/> (<c>--tool</c>; null: all).</summary>
    public static ToolDrift Between(FrozenDictionary<string, string>? pins, IReadOnlyList<ListedTool> listed, IReadOnlySet<string>? only)
    {
        pins ??= FrozenDictionary<string, string>.Empty;
        bool Compared(string name) => only is null || only.Contains(name);
        var added = new List<ListedTool>();
        var changed = new List<ChangedTool>();
        var unchanged = new List<string>();
        foreach (var tool in listed.Where(t => Compared(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!pins.TryGetValue(tool.Name, out var pinned))
            {
                added.Add(tool);
            }
            else if (pinned != tool.Fingerprint)
            {
                changed.Add(new ChangedTool(tool.Name, pinned, tool.Fingerprint, tool.Description));
            }
            else
            {
                unchanged.Add(tool.Name);
            }
        }

        var names = listed.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var removed = pins.Keys.Where(p => Compared(p) && !names.Contains(p)).Order(StringComparer.Ordinal).ToList();
        return new ToolDrift(added, removed, changed, unchanged);
    }

    /// <summary>The tools as listed, with their fingerprints.</summary>
    public static IReadOnlyList<ListedTool> Listed(IEnumerable<JsonElement> tools) =>
        [.. tools.Select(t => new ListedTool(
            t.GetProperty("name"u8).GetString()!,
            ToolFingerprint.Of(t),
            t.TryGetProperty("description"u8, out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null))];

    /// <summary>A description on one line, cut to <paramref name="max"/> characters, for the terminal.</summary>
    public static string Short(string? description, int max = 160)
    {
        if (description is null)
        {
            return "(no description)";
        }

        var line = description.ReplaceLineEndings(" ");
        return "\"" + (line.Length > max ? line[..max] + "..." : line) + "\"";
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGateway.Cli.Output;
using McpGateway.Policy;

namespace McpGateway.Cli.Diff;

/// <summary>
/// <c>mcpgw policy diff OLD NEW</c> without a log: for every tool name, prefix pattern and hide entry either document
/// writes, and for tools neither names, what each document allows, denies, hides, limits or sends for approval.
/// </summary>
internal static class StaticDiff
{
    /// <summary>
    /// Stands for "a tool this pattern matches and nothing more specific does": no tool name holds the character, so
    /// no exact key and no longer prefix matches it, while the pattern's own prefix does.
    /// </summary>
    private const char PatternProbe = '\u0001';

    public static IReadOnlyList<StaticDiffRow> Compare(CompiledPolicy oldPolicy, CompiledPolicy newPolicy)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var document in new[] { oldPolicy.Source, newPolicy.Source })
        {
            names.UnionWith(document.Tools.Select(t => t.Key));
            names.UnionWith(document.Hide);
        }

        var rows = names.Select(name =>
        {
            var probe = name.EndsWith('*') ? name[..^1] + PatternProbe : name;
            return Row(name, oldPolicy, newPolicy, p => ToolTreatment.Of(p, probe));
        }).ToList();
        rows.Add(Row(null, oldPolicy, newPolicy, ToolTreatment.Default));
        return rows;
    }

    public static bool HasChanges(IEnumerable<StaticDiffRow> rows) => rows.Any(r => r.Change == "changed");

    public static string Table(IReadOnlyList<StaticDiffRow> rows)
    {
        var table = new TextTable("tool", "change", "old", "new");
        foreach (var row in rows)
        {
            table.Add(row.Tool ?? "(any other tool)", row.Change, Cell(row.Old, row.OldShadow), Cell(row.New, row.NewShadow));
        }

        var changed = rows.Count(r => r.Change == "changed");
        return table + string.Create(CultureInfo.InvariantCulture, $"{changed} of {rows.Count} changed\n");
    }

    public static string Json(IReadOnlyList<StaticDiffRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("tools");
            foreach (var row in rows.Where(r => r.Tool is not null))
            {
                writer.WriteStartObject();
                writer.WriteString("tool", row.Tool);
                Write(writer, row);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("default");
            Write(writer, rows.Single(r => r.Tool is null));
            writer.WriteEndObject();
            writer.WriteBoolean("changed", HasChanges(rows));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static StaticDiffRow Row(string? name, CompiledPolicy oldPolicy, CompiledPolicy newPolicy, Func<CompiledPolicy, ToolTreatment> treat)
    {
        var old = treat(oldPolicy);
        var @new = treat(newPolicy);
        return new StaticDiffRow(name, old, @new, ShadowOf(oldPolicy, old, treat), ShadowOf(newPolicy, @new, treat));
    }

    private static ToolTreatment? ShadowOf(CompiledPolicy policy, ToolTreatment enforced, Func<CompiledPolicy, ToolTreatment> treat) =>
        policy.Shadow is { } full && treat(full) is var shadow && (shadow.Behaviour != enforced.Behaviour || shadow.Rule != enforced.Rule) ? shadow : null;

    private static string Cell(ToolTreatment treatment, ToolTreatment? shadow) =>
        shadow is null ? treatment.Text() : $"{treatment.Text()} [shadow: {shadow.Text()}]";

    private static void Write(Utf8JsonWriter writer, StaticDiffRow row)
    {
        writer.WriteString("change", row.Change);
        Write(writer, "old", row.Old, row.OldShadow);
        Write(writer, "new", row.New, row.NewShadow);
    }

    private static void Write(Utf8JsonWriter writer, string name, ToolTreatment treatment, ToolTreatment? shadow)
    {
        writer.WriteStartObject(name);
        writer.WriteString("decision", treatment.Decision);
        writer.WriteString("rule", treatment.Rule);
        writer.WriteStartArray("conditions");
        foreach (var condition in treatment.Conditions)
        {
            writer.WriteStringValue(condition);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("limits");
        foreach (var limit in treatment.Limits)
        {
            writer.WriteStringValue(limit);
        }

        writer.WriteEndArray();
        if (treatment.ApprovalTimeoutSeconds is { } timeout)
        {
            writer.WriteNumber("approval_timeout_seconds", timeout);
        }

        if (shadow is not null)
        {
            Write(writer, "shadow", shadow, null);
        }

        writer.WriteEndObject();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGateway.Cli.Output;

namespace McpGateway.Cli.Diff;

/// <summary>
/// What <c>mcpgw policy diff --log</c> prints: the changed and the undecidable calls grouped by tool and grant with
/// counts (table), or every such call (JSON, the shape docs/policy-diff.md documents).
/// </summary>
internal static class ReplayReport
{
    public static string Table(LogReplay replay, int unreadable)
    {
        var text = new StringBuilder();
        var replayed = replay.Changed.Count + replay.Undecidable.Count + replay.Unchanged;
        text.Append(CultureInfo.InvariantCulture, $"{replayed} logged calls replayed: {replay.Changed.Count} change decision, {replay.Unchanged} do not, {replay.Undecidable.Count} undecidable\n");
        if (replay.Changed.Count > 0)
        {
            text.Append('\n').Append(Grouped(replay.Changed));
        }

        if (replay.Undecidable.Count > 0)
        {
            text.Append("\nundecidable (each needs what the log does not hold: an argument's value, a session id):\n").Append(Grouped(replay.Undecidable));
        }

        if (replay.OldDisagreesWithLog > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nnote: for {replay.OldDisagreesWithLog} calls the old policy decides otherwise than the log records; the log was not (only) written under it\n");
        }

        if (unreadable > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"note: {unreadable} lines looked like decision lines but could not be read; they are not replayed\n");
        }

        return text.ToString();
    }

    public static string Json(LogReplay replay, int unreadable)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("changed");
            foreach (var call in replay.Changed)
            {
                Write(writer, call);
            }

            writer.WriteEndArray();
            writer.WriteNumber("unchanged", replay.Unchanged);
            writer.WriteStartArray("undecidable");
            foreach (var call in replay.Undecidable)
            {
                Write(writer, call);
            }

            writer.WriteEndArray();
            writer.WriteNumber("old_disagrees_with_log", replay.OldDisagreesWithLog);
            writer.WriteNumber("unreadable_lines", unreadable);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Grouped(IEnumerable<ReplayedCall> calls)
    {
        var table = new TextTable("server/tool", "grant", "old", "new", "calls");
        var groups = calls
            .GroupBy(c => (Tool: c.Call.Server + "/" + c.Call.Tool, c.Call.Grant, Old: Cell(c.Old), New: Cell(c.New)))
            .OrderBy(g => g.Key.Tool, StringComparer.Ordinal).ThenBy(g => g.Key.Grant, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Old, StringComparer.Ordinal).ThenBy(g => g.Key.New, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            table.Add(group.Key.Tool, group.Key.Grant, group.Key.Old, group.Key.New, group.Count().ToString(CultureInfo.InvariantCulture));
        }

        return table.ToString();
    }

    private static string Cell(ReplayVerdict verdict) =>
        verdict.IsUndecidable ? $"undecidable: {verdict.Needs} ({verdict.Rule})" : $"{verdict.Decision} ({verdict.Rule})";

    private static void Write(Utf8JsonWriter writer, ReplayedCall replayed)
    {
        var call = replayed.Call;
        writer.WriteStartObject();
        writer.WriteString("time", call.Time);
        writer.WriteString("grant", call.Grant);
        writer.WriteString("server", call.Server);
        writer.WriteString("tool", call.Tool);
        Write(writer, "old", replayed.Old);
        Write(writer, "new", replayed.New);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, string name, ReplayVerdict verdict)
    {
        writer.WriteStartObject(name);
        writer.WriteString("decision", verdict.Decision);
        writer.WriteString("rule", verdict.Rule);
        if (verdict.Needs is { } needs)
        {
            writer.WriteString("needs", needs);
        }

        writer.WriteEndObject();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGateway.Cli.DecisionLog;

namespace McpGateway.Cli.Stats;

/// <summary>
/// Reads decision log lines (the gateway's standard output, with or without EMF members) and counts them per
/// group. Lines that are not decision lines, such as approval audit lines or a platform's own lines, are passed
/// over; a line that starts like JSON but does not parse is counted, so the report can say so.
/// </summary>
internal sealed class DecisionLogStats(string by, DateTimeOffset? since) : DecisionLineReader
{
    private readonly Dictionary<string, StatsGroup> _groups = new(StringComparer.Ordinal);

    public string By { get; } = by;

    public IEnumerable<StatsGroup> Groups => _groups.Values.OrderByDescending(g => g.Calls).ThenBy(g => g.Key, StringComparer.Ordinal);

    public StatsGroup Total()
    {
        var total = new StatsGroup("(all)");
        foreach (var group in _groups.Values)
        {
            total.AddAll(group);
        }

        return total;
    }

    // A line without an outcome, or from before --since, is passed over, not unreadable: stats count what they can.
    protected override bool Take(JsonElement root)
    {
        if (Text(root, "outcome") is not { } outcome)
        {
            return true;
        }

        if (since is { } from && (!root.TryGetProperty("time", out var time) || !time.TryGetDateTimeOffset(out var at) || at < from))
        {
            return true;
        }

        var key = By switch
        {
            "grant" => Text(root, "grant") ?? "?",
            "server" => Text(root, "server") ?? "?",
            _ => (Text(root, "server") ?? "?") + "/" + (Text(root, "tool") ?? "?"),
        };
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new StatsGroup(key);
        }

        double? latency = root.TryGetProperty("latency_ms", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetDouble() : null;
        group.Add(outcome, Text(root, "store_error") is not null, latency);
        return true;
    }

    public string Table()
    {
        string[] header = [By, "calls", "forwarded", "denied", "rate_limited", "approvals", "upstream_failed", "store_errors", "p50_ms", "p99_ms"];
        var rows = Groups.Append(Total()).Select(g => new[]
        {
            g.Key, Count(g.Calls), Count(g.Forwarded), Count(g.Denied), Count(g.RateLimited), Count(g.Approvals), Count(g.UpstreamFailed), Count(g.StoreErrors),
            Ms(g.Percentile(50)), Ms(g.Percentile(99)),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();

        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                // The key column reads left-aligned, the numbers right-aligned, as in any report.
                text.Append(i == 0 ? cells[i].PadRight(widths[i]) : "  " + cells[i].PadLeft(widths[i]));
            }

            text.Append('\n');
        }

        Line(header);
        foreach (var row in rows)
        {
            Line(row);
        }

        return text.ToString();
    }

    public string Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("by", By);
            writer.WriteStartArray("groups");
            foreach (var group in Groups)
            {
                Write(writer, group);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("total");
            Write(writer, Total());
            writer.WriteNumber("unreadable_lines", Unreadable);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, StatsGroup group)
    {
        writer.WriteStartObject();
        writer.WriteString("key", group.Key);
        writer.WriteNumber("calls", group.Calls);
        writer.WriteNumber("forwarded", group.Forwarded);
        writer.WriteNumber("denied", group.Denied);
        writer.WriteNumber("rate_limited", group.RateLimited);
        writer.WriteNumber("approvals", group.Approvals);
        writer.WriteNumber("upstream_failed", group.UpstreamFailed);
        writer.WriteNumber("store_errors", group.StoreErrors);
        WriteMs(writer, "latency_p50_ms", group.Percentile(50));
        WriteMs(writer, "latency_p99_ms", group.Percentile(99));
        writer.WriteEndObject();
    }

    private static void WriteMs(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } ms)
        {
            writer.WriteNumber(name, ms);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string? Text(JsonElement root, string name) => DecisionLine.Text(root, name);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}

using System.Text;
using System.Text.Json.Serialization;
using McpGateway.Cli.Scanning;
using McpGateway.Tools;

namespace McpGateway.Cli.Output;

/// <summary>What <c>mcpgw scan --format json</c> prints.</summary>
internal sealed record ScanReport(
    [property: JsonPropertyName("server")] ScanServerReport Server,
    [property: JsonPropertyName("tools")] IReadOnlyList<ScanToolReport> Tools,
    [property: JsonPropertyName("omitted_above_risk")] int? OmittedAboveRisk)
{
    public static ScanReport From(ScanResult scan, ScanTarget target, IReadOnlyList<ScannedTool> shown, int omitted, bool ceilingGiven) => new(
        new ScanServerReport(scan.ServerName, scan.ServerVersion, target.DisplayUrl, scan.ProtocolVersion, scan.Pages),
        [.. shown.Select(ScanToolReport.From)],
        ceilingGiven ? omitted : null);

    /// <summary>The aligned table: one line per tool, the deciding reason only.</summary>
    public static void WriteTable(TextWriter output, ScanResult scan, ScanTarget target, IReadOnlyList<ScannedTool> shown, int omitted, ToolRisk? ceiling)
    {
        var version = scan.ServerVersion is null ? "" : " " + Printable(scan.ServerVersion);
        var pages = scan.Pages == 1 ? "1 page" : $"{scan.Pages} pages";
        output.WriteLine($"{Printable(scan.ServerName)}{version} at {target.DisplayUrl} (MCP {Printable(scan.ProtocolVersion)}): {scan.Tools.Count} tool(s) in {pages}");
        output.WriteLine();

        string[] header = ["TOOL", "CATEGORY", "RISK", "REASON"];
        var rows = shown.Select(t => new[]
        {
            Printable(t.Tool.Name),
            ToolClassNames.Name(t.Classification.Category),
            ToolClassNames.Name(t.Classification.Risk),
            Printable(t.Classification.Reasons.FirstOrDefault() ?? ""),
        }).ToList();
        var widths = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}".TrimEnd());
        }

        output.WriteLine();
        var counts = Enum.GetValues<ToolCategory>()
            .Select(c => (Category: c, Count: scan.Tools.Count(t => t.Classification.Category == c)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {ToolClassNames.Name(c.Category)}");
        output.WriteLine($"Summary: {string.Join(", ", counts)}.");
        if (ceiling is { } level && omitted > 0)
        {
            output.WriteLine($"{omitted} tool(s) above {ToolClassNames.Name(level)} risk not shown (--risk-at-most).");
        }
    }

    /// <summary>
    /// Names, versions and description words come from the upstream, which may be hostile: control characters
    /// (terminal escape sequences among them) are shown as U+FFFD instead of reaching the terminal.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '\uFFFD' : c);
        }

        return builder.ToString();
    }
}

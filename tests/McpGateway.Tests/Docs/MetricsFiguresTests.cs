using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpGateway.Admin;
using McpGateway.Buffers;
using McpGateway.Logging;
using McpGateway.Metrics;

namespace McpGateway.Tests.Docs;

/// <summary>
/// The figures docs/metrics.md, template.yaml and docs/approvals-ui.md state about what the gateway writes and serves,
/// recomputed from the code: the metric count, the example EMF line, the bytes EMF adds, the approver page's weight.
/// A metric added or a page file edited fails here until the text says so.
/// </summary>
public sealed partial class MetricsFiguresTests
{
    private static readonly string MetricsDoc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "metrics.md"));

    [Fact]
    public void MetricsDoc_EmfExample_IsTheLineTheGatewayWritesForItsCall()
    {
        var documented = JsonNode.Parse(ExampleBlock().Match(MetricsDoc).Groups["json"].Value)!.AsObject();

        var written = JsonNode.Parse(Line(ExampleEntry(documented), new EmfWriter(toolDimension: false)))!;

        Assert.True(JsonNode.DeepEquals(documented, written), "docs/metrics.md's example differs from what the gateway writes for it:\n" + written.ToJsonString());
    }

    [Fact]
    public void MetricsDoc_LogBytes_AreWhatEmfAddsToTheExampleLine()
    {
        var entry = ExampleEntry(JsonNode.Parse(ExampleBlock().Match(MetricsDoc).Groups["json"].Value)!.AsObject());
        var plain = Encoding.UTF8.GetByteCount(Plain(entry));
        var withEmf = Encoding.UTF8.GetByteCount(Line(entry, new EmfWriter(toolDimension: false))) - plain;
        var withTool = Encoding.UTF8.GetByteCount(Line(entry with { MetricTool = entry.Tool }, new EmfWriter(toolDimension: true))) - plain;

        var stated = LogBytes().Match(MetricsDoc);
        Assert.True(stated.Success, "docs/metrics.md no longer states the log bytes EMF adds in the form this test reads");
        Assert.Equal(Nearest10(withEmf), int.Parse(stated.Groups["emf"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Nearest10(withTool), int.Parse(stated.Groups["tool"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MetricsDocAndTemplate_MetricCounts_AreTheDeclaredMetrics()
    {
        var count = EmfWriter.Metrics.Count;
        var template = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "template.yaml"));

        Assert.Equal(count, int.Parse(DirectiveCount().Match(MetricsDoc).Groups["n"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(count, int.Parse(TemplatePerTool().Match(template).Groups["n"].Value, CultureInfo.InvariantCulture));

        // The cost table's arithmetic too: 3 servers and 40 server/tool pairs at $0.30 a metric.
        var emf = EmfRow().Match(MetricsDoc);
        Assert.True(emf.Success, "the Emf cost row is not in the form this test reads");
        Assert.Equal([count, count, count * 4], [Int(emf, "a"), Int(emf, "b"), Int(emf, "total")]);
        Assert.Equal(Dollars(count * 4), emf.Groups["cost"].Value);
        var tool = ToolRow().Match(MetricsDoc);
        Assert.True(tool.Success, "the Emf + ToolDimension cost row is not in the form this test reads");
        Assert.Equal([count, count * 4, count, count * 44], [Int(tool, "a"), Int(tool, "base"), Int(tool, "b"), Int(tool, "total")]);
        Assert.Equal(Dollars(count * 44), tool.Groups["cost"].Value);
    }

    [Fact]
    public void ApproverPageDoc_PageWeight_IsTheEmbeddedFilesSizes()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "approvals-ui.md"));
        int Row(string response) =>
            int.Parse(Regex.Match(doc, @"^\| " + Regex.Escape(response) + @" \| \**(?<n>[\d,]+)\** \|", RegexOptions.Multiline).Groups["n"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var html = AdminPageAssets.Find("approvals.html")!.Value.Body.Length;
        var css = AdminPageAssets.Find("approvals.css")!.Value.Body.Length;
        var js = AdminPageAssets.Find("approvals.js")!.Value.Body.Length;

        Assert.Equal(html, Row("`/admin/ui` (HTML)"));
        Assert.Equal(css, Row("`/admin/ui/approvals.css`"));
        Assert.Equal(js, Row("`/admin/ui/approvals.js`"));
        Assert.Equal(html + css + js, Row("**Page weight**"));
    }

    /// <summary>The decision the example line records, read from the line itself.</summary>
    private static DecisionLogEntry ExampleEntry(JsonObject line) => new()
    {
        Time = DateTimeOffset.Parse(line["time"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        RequestId = line["request_id"]!.GetValue<string>(),
        Grant = line["grant"]!.GetValue<string>(),
        Server = line["server"]!.GetValue<string>(),
        Tool = line["tool"]!.GetValue<string>(),
        Decision = line["decision"]!.GetValue<string>(),
        Rule = line["rule"]!.GetValue<string>(),
        Outcome = line["outcome"]!.GetValue<string>(),
        Policy = line["policy"]!.GetValue<string>(),
        ArgumentKeys = [.. line["argument_keys"]!.AsArray().Select(k => k!.GetValue<string>())],
        ArgumentsSha256 = line["arguments_sha256"]!.GetValue<string>(),
        LatencyMs = line["latency_ms"]!.GetValue<double>(),
        UpstreamStatus = line["upstream_status"]!.GetValue<int>(),
        UpstreamLatencyMs = line["upstream_latency_ms"]!.GetValue<double>(),
    };

    private static string Line(DecisionLogEntry entry, EmfWriter emf)
    {
        using var line = new PooledBufferWriter();
        StdoutDecisionLog.FormatWithMetrics(line, entry, emf);
        return Encoding.UTF8.GetString(line.WrittenSpan);
    }

    private static string Plain(DecisionLogEntry entry)
    {
        using var line = new PooledBufferWriter();
        StdoutDecisionLog.Format(line, entry, DecisionLogJsonContext.Default.DecisionLogEntry);
        return Encoding.UTF8.GetString(line.WrittenSpan);
    }

    private static int Nearest10(int bytes) => (int)Math.Round(bytes / 10.0, MidpointRounding.AwayFromZero) * 10;

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string Dollars(int metrics) => (metrics * 0.30m).ToString("0.00", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"A forwarded call:\s*```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"EMF members add about (?<emf>\d+) bytes .*?\((?:about )?(?<tool>\d+) with the tool\s+dimension", RegexOptions.Singleline)]
    private static partial Regex LogBytes();

    [GeneratedRegex(@"at most 100 metrics per directive \((?<n>\d+)\)")]
    private static partial Regex DirectiveCount();

    [GeneratedRegex(@"Each server/tool pair is (?<n>\d+) more custom metrics")]
    private static partial Regex TemplatePerTool();

    [GeneratedRegex(@"^\| `Emf` \| (?<a>\d+) x \(1 \+ servers\) \| (?<b>\d+) x 4 = (?<total>\d+) \| \$(?<cost>[\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex EmfRow();

    [GeneratedRegex(@"^\| `Emf` \+ `ToolDimension` \| (?<a>\d+) x \(1 \+ servers \+ server/tool pairs in use\) \| (?<base>\d+) \+ (?<b>\d+) x 40 = (?<total>\d+) \| \$(?<cost>[\d.,]+) \|", RegexOptions.Multiline)]
    private static partial Regex ToolRow();
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGateway.Buffers;
using McpGateway.Policy;

namespace McpGateway.Metrics;

/// <summary>
/// Turns a decision line into a CloudWatch Embedded Metric Format document by appending the <c>_aws</c>
/// metadata and the metric members to the line's own JSON object: one line per call, whose fields stay
/// searchable in Logs Insights, instead of a second line. The metric directive depends only on the settings
/// and on whether the call has an upstream latency, so both variants are encoded once; per call only the
/// timestamp, two names and the values are written, into the line's pooled buffer.
/// </summary>
/// <remarks>
/// EMF rules this keeps (CloudWatch "Specification: Embedded metric format"): <c>_aws.Timestamp</c> is an integer
/// count of milliseconds since the Unix epoch; every dimension named in a dimension set is a string member of the
/// root; every metric named is a numeric member of the root; at most 100 metrics per directive and 30 keys per
/// dimension set (here every entry of <see cref="Metrics"/>, and at most two keys). Dimension sets: none (the total),
/// <c>Server</c>, and <c>Server</c>+<c>Tool</c> when <see cref="ToolDimension"/> is on.
/// </remarks>
internal sealed class EmfWriter
{
    public const string Namespace = "McpGateway";

    /// <summary>The value of <c>Tool</c> for a tool whose name is not bounded by the policy or the server's listed tools.</summary>
    public const string OtherTool = "other";

    /// <summary>Every metric the gateway emits, with its CloudWatch unit; the template's dashboard and alarms name only these.</summary>
    public static readonly IReadOnlyList<(string Name, string Unit)> Metrics =
    [
        ("Calls", "Count"),
        ("Allowed", "Count"),
        ("Denied", "Count"),
        ("RateLimited", "Count"),
        ("ApprovalRequired", "Count"),
        ("UpstreamErrors", "Count"),
        ("StoreErrors", "Count"),
        ("ShadowDenied", "Count"),
        ("Latency", "Milliseconds"),
        ("UpstreamLatency", "Milliseconds"),
    ];

    private readonly byte[] _withUpstream;
    private readonly byte[] _withoutUpstream;

    public EmfWriter(bool toolDimension)
    {
        ToolDimension = toolDimension;
        _withUpstream = Directive(toolDimension, Metrics.Count);
        _withoutUpstream = Directive(toolDimension, Metrics.Count - 1);
    }

    public bool ToolDimension { get; }

    /// <summary>
    /// The <c>Tool</c> dimension's value: the tool's name when it is bounded, by the operator (the policy names the
    /// tool exactly) or by the server (<paramref name="listed"/>: the gateway's tool catalog already holds it as
    /// listed), else <see cref="OtherTool"/>. What the upstream answered bounds nothing: a server may answer a name
    /// it does not have with a result, so a client calling made-up names under a default or a prefix rule would
    /// otherwise mint a metric per name. Never a grant, an argument or any other unbounded string.
    /// </summary>
    public static string ToolValue(string tool, CompiledPolicy? policy, bool listed) =>
        ToolName.IsValid(tool) && (listed || (policy?.NamesTool(tool) ?? false)) ? tool : OtherTool;

    /// <summary>
    /// Appends the EMF members to <paramref name="line"/>, which holds one serialised JSON object (no newline yet):
    /// its closing brace is replaced by the members and a new closing brace.
    /// </summary>
    public void Append(PooledBufferWriter line, DateTimeOffset time, string server, string? tool, CallCounts counts, bool shadowDenied, double latencyMs, double? upstreamLatencyMs)
    {
        line.Rewind(1);
        Write(line, ",\"_aws\":{\"Timestamp\":"u8);
        WriteNumber(line, time.ToUnixTimeMilliseconds());
        Write(line, ",\"CloudWatchMetrics\":"u8);
        Write(line, upstreamLatencyMs is null ? _withoutUpstream : _withUpstream);
        Write(line, "},\"Server\":"u8);
        WriteName(line, server);
        if (ToolDimension)
        {
            Write(line, ",\"Tool\":"u8);
            WriteName(line, tool ?? OtherTool);
        }

        Write(line, ",\"Calls\":1,\"Allowed\":"u8);
        WriteFlag(line, counts.Allowed);
        Write(line, ",\"Denied\":"u8);
        WriteFlag(line, counts.Denied);
        Write(line, ",\"RateLimited\":"u8);
        WriteFlag(line, counts.RateLimited);
        Write(line, ",\"ApprovalRequired\":"u8);
        WriteFlag(line, counts.ApprovalRequired);
        Write(line, ",\"UpstreamErrors\":"u8);
        WriteFlag(line, counts.UpstreamError);
        Write(line, ",\"StoreErrors\":"u8);
        WriteFlag(line, counts.StoreError);
        Write(line, ",\"ShadowDenied\":"u8);
        WriteFlag(line, shadowDenied);
        Write(line, ",\"Latency\":"u8);
        WriteNumber(line, latencyMs);
        if (upstreamLatencyMs is { } upstream)
        {
            Write(line, ",\"UpstreamLatency\":"u8);
            WriteNumber(line, upstream);
        }

        Write(line, "}"u8);
    }

    private static byte[] Directive(bool toolDimension, int metricCount)
    {
        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("Namespace", Namespace);
            writer.WriteStartArray("Dimensions");

            // The empty set publishes each metric across all servers too: alarms and the dashboard's totals need a
            // metric whose identity is known when the stack is deployed, and server names are not.
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WriteStartArray();
            writer.WriteStringValue("Server");
            writer.WriteEndArray();
            if (toolDimension)
            {
                writer.WriteStartArray();
                writer.WriteStringValue("Server");
                writer.WriteStringValue("Tool");
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            for (var i = 0; i < metricCount; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", Metrics[i].Name);
                writer.WriteString("Unit", Metrics[i].Unit);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(PooledBufferWriter line, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line.GetSpan(bytes.Length));
        line.Advance(bytes.Length);
    }

    private static void WriteFlag(PooledBufferWriter line, bool value)
    {
        line.GetSpan(1)[0] = value ? (byte)'1' : (byte)'0';
        line.Advance(1);
    }

    private static void WriteNumber(PooledBufferWriter line, long value)
    {
        var span = line.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        line.Advance(written);
    }

    /// <summary>Shortest round-trip form, which is a JSON number for every finite value (latencies are finite).</summary>
    private static void WriteNumber(PooledBufferWriter line, double value)
    {
        var span = line.GetSpan(32);
        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        line.Advance(written);
    }

    /// <summary>
    /// Server names and bounded tool names are 1-128 characters of <c>A-Z a-z 0-9 _ . -</c> (validated when the
    /// configuration loads and by <see cref="ToolValue"/>), which JSON needs no escaping for; anything else is
    /// written as <see cref="OtherTool"/> rather than escaped, so a dimension value is never a surprise.
    /// </summary>
    private static void WriteName(PooledBufferWriter line, string name)
    {
        if (!ToolName.IsValid(name))
        {
            name = OtherTool;
        }

        var span = line.GetSpan(name.Length + 2);
        span[0] = (byte)'"';
        var written = Encoding.ASCII.GetBytes(name, span[1..]);
        span[written + 1] = (byte)'"';
        line.Advance(written + 2);
    }
}

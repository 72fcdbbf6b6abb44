using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using McpGateway.Policy;

namespace McpGateway.Tools;

/// <summary>
/// A starter policy for classified tools, following PolicyLayer's recommendations: <c>"default": "deny"</c>;
/// reads allowed; writes at most 30 calls per minute per grant; execute tools at most 10 per minute per grant
/// (the seed policy's rule, counter <c>&lt;tool&gt;_rate</c>); destructive and financial tools need a person's
/// approval. A multiplexed tool whose only danger is some values of its operation parameter keeps the other
/// values and is denied those. With a risk ceiling, tools above it are hidden instead.
/// </summary>
internal static class StarterPolicy
{
    public const int WriteLimitPerMinute = 30;
    public const int ExecuteLimitPerMinute = 10;

    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // Read by people before it is pushed; quotes and arrows in reasons stay legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The policy document (UTF-8 JSON). Tools whose names the gateway refuses (outside
    /// <c>[A-Za-z0-9_.-]{1,128}</c>) and repeated names, every definition of them, are left out, and so fall to
    /// the default deny: a rule drawn from one of two definitions would be reviewed for a tool the other may not
    /// be. <paramref name="skipped"/> names each of them once, in the order first listed.
    /// </summary>
    public static byte[] Build(IReadOnlyList<ToolClassification> tools, ToolRisk? riskAtMost, out IReadOnlyList<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var left = new List<string>();
        var repeated = tools.CountBy(t => t.Name, StringComparer.Ordinal).Where(c => c.Value > 1).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "1");
            writer.WriteString("default", "deny");
            writer.WriteStartObject("tools");
            foreach (var tool in tools)
            {
                if (!ToolName.IsValid(tool.Name) || repeated.Contains(tool.Name))
                {
                    left.Add(tool.Name);
                    continue;
                }

                writer.WritePropertyName(tool.Name);
                WriteRule(writer, tool, riskAtMost);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        skipped = [.. left.Distinct(StringComparer.Ordinal)];
        return buffer.ToArray();
    }

    /// <summary>The counter a tool's own limit uses: <c>&lt;tool&gt;_rate</c>, shortened with a hash when that would pass 128 characters.</summary>
    public static string CounterName(string tool)
    {
        const string Suffix = "_rate";
        if (tool.Length + Suffix.Length <= ToolName.MaxLength)
        {
            return tool + Suffix;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tool)))[..8];
        return $"{tool[..(ToolName.MaxLength - Suffix.Length - hash.Length - 1)]}_{hash}{Suffix}";
    }

    private static void WriteRule(Utf8JsonWriter writer, ToolClassification tool, ToolRisk? riskAtMost)
    {
        var ceiling = riskAtMost ?? ToolRisk.High;
        var evidence = tool.Reasons.Length > 0 ? $" Evidence: {tool.Reasons[0]}." : "";
        var label = $"{Capitalised(tool.Category)} ({ToolClassNames.Name(tool.Risk)} risk)";
        writer.WriteStartObject();
        if (tool.Operation is { } operation && tool.Risk > ceiling && ToolClassNames.RiskOf(tool.CategoryWithoutOperation) <= ceiling)
        {
            var allowed = operation.Values.Where(v => ToolClassNames.RiskOf(v.Category) <= ceiling).ToList();
            var blocked = operation.Values.Where(v => ToolClassNames.RiskOf(v.Category) > ceiling).ToList();
            if (allowed.Count > 0)
            {
                WriteSplit(writer, tool, operation, allowed, blocked, riskAtMost);
                writer.WriteEndObject();
                return;
            }
        }

        if (tool.Risk > ceiling && riskAtMost is { } level)
        {
            writer.WriteString("action", "hide");
            writer.WriteString("reason", $"{label}, above the starter policy's ceiling of {ToolClassNames.Name(level)} risk: hidden.{evidence}");
        }
        else
        {
            switch (tool.Category)
            {
                case ToolCategory.Read:
                    writer.WriteString("reason", $"{label}: allowed.{evidence}");
                    break;
                case ToolCategory.Write:
                    WriteLimit(writer, tool.Name, WriteLimitPerMinute);
                    writer.WriteString("reason", $"{label}: at most {WriteLimitPerMinute} calls per minute per grant.{evidence}");
                    break;
                case ToolCategory.Execute:
                    WriteLimit(writer, tool.Name, ExecuteLimitPerMinute);
                    writer.WriteString("reason", $"{label}: at most {ExecuteLimitPerMinute} calls per minute per grant; add argument conditions for what it may run.{evidence}");
                    break;
                default:
                    writer.WriteString("action", "approve");
                    writer.WriteString("reason", $"{label}: every call needs a person's approval.{evidence}");
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The values within the ceiling are required (so a value outside the schema's enum, a case variant included,
    /// is denied as well), and the values above it are named in <c>deny_if</c> so the document says what it stops.
    /// </summary>
    private static void WriteSplit(Utf8JsonWriter writer, ToolClassification tool, OperationParameter operation, List<OperationValue> allowed, List<OperationValue> blocked, ToolRisk? riskAtMost)
    {
        writer.WriteStartArray("require");
        WriteCondition(writer, operation.Path, allowed);
        writer.WriteEndArray();
        writer.WriteStartArray("deny_if");
        WriteCondition(writer, operation.Path, blocked);
        writer.WriteEndArray();

        var permitted = (ToolCategory)Math.Max((int)tool.CategoryWithoutOperation, (int)allowed.Max(v => v.Category));
        var limit = permitted switch
        {
            ToolCategory.Write => WriteLimitPerMinute,
            ToolCategory.Execute => ExecuteLimitPerMinute,
            _ => 0,
        };
        if (limit > 0)
        {
            WriteLimit(writer, tool.Name, limit);
        }

        var parameter = operation.Path[5..];
        var stopped = string.Join("; ", blocked.GroupBy(v => v.Category).OrderByDescending(g => g.Key).Select(g => $"{Values(g)} ({ToolClassNames.Name(g.Key)})"));
        var kept = string.Join("; ", allowed.GroupBy(v => v.Category).OrderBy(g => g.Key).Select(g => $"{Values(g)} ({ToolClassNames.Name(g.Key)})"));
        var why = riskAtMost is { } level
            ? $"above the starter policy's ceiling of {ToolClassNames.Name(level)} risk"
            : "critical: approve them outside the agent, or give them a tool of their own with an approval rule";
        var pace = limit > 0 ? $", at most {limit} calls per minute per grant" : "";
        writer.WriteString("reason", $"{tool.Name} multiplexes operations by {parameter}: {stopped} denied, {why}. Allowed: {kept}{pace}.");
    }

    private static void WriteCondition(Utf8JsonWriter writer, string path, List<OperationValue> values)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteString("op", "in");
        writer.WriteStartArray("value");
        foreach (var value in values)
        {
            writer.WriteStringValue(value.Value);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteLimit(Utf8JsonWriter writer, string tool, int perMinute)
    {
        writer.WriteStartArray("limits");
        writer.WriteStartObject();
        writer.WriteString("counter", CounterName(tool));
        writer.WriteString("window", "minute");
        writer.WriteNumber("max", perMinute);
        writer.WriteString("scope", "grant");
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static string Values(IEnumerable<OperationValue> values) => string.Join(", ", values.Select(v => "\"" + v.Value + "\""));

    private static string Capitalised(ToolCategory category)
    {
        var name = ToolClassNames.Name(category);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}

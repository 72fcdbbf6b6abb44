namespace McpGateway.IntegrationTests.Metrics;

/// <summary>
/// The rules of CloudWatch's "Specification: Embedded metric format", checked on one parsed log line; written
/// from the specification, independently of the gateway's writer, so the two cannot share a mistake.
/// </summary>
internal static class EmfSpec
{
    /// <summary>The units a MetricDefinition may name (the specification's schema, from MetricDatum).</summary>
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    };

    /// <summary>Every rule the document breaks; empty when it is a valid EMF document.</summary>
    public static IReadOnlyList<string> Violations(JsonElement root)
    {
        var problems = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["the root is not a JSON object"];
        }

        if (!root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object)
        {
            return ["no _aws metadata object on the root"];
        }

        if (!aws.TryGetProperty("Timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var ms))
        {
            problems.Add("_aws.Timestamp is not an integer number of milliseconds");
        }
        else if (ms < 946_684_800_000 || ms > 4_102_444_800_000)
        {
            // Seconds, or microseconds, would land far outside 2000-2100.
            problems.Add($"_aws.Timestamp {ms} is not milliseconds since the Unix epoch");
        }

        if (!aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
        {
            problems.Add("_aws.CloudWatchMetrics is not an array");
            return problems;
        }

        foreach (var directive in directives.EnumerateArray())
        {
            if (!directive.TryGetProperty("Namespace", out var ns) || ns.ValueKind != JsonValueKind.String || ns.GetString()!.Length is < 1 or > 255)
            {
                problems.Add("a MetricDirective has no Namespace string of 1-255 characters");
            }

            if (!directive.TryGetProperty("Dimensions", out var sets) || sets.ValueKind != JsonValueKind.Array || sets.GetArrayLength() < 1)
            {
                problems.Add("a MetricDirective has no Dimensions array of dimension sets");
            }
            else
            {
                foreach (var set in sets.EnumerateArray())
                {
                    if (set.ValueKind != JsonValueKind.Array)
                    {
                        problems.Add("a DimensionSet is not an array");
                        continue;
                    }

                    if (set.GetArrayLength() > 30)
                    {
                        problems.Add($"a DimensionSet has {set.GetArrayLength()} keys (at most 30)");
                    }

                    foreach (var key in set.EnumerateArray())
                    {
                        var name = key.GetString();
                        if (key.ValueKind != JsonValueKind.String || name!.Length is < 1 or > 255)
                        {
                            problems.Add("a dimension key is not a string of 1-255 characters");
                        }
                        else if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length is < 1 or > 1024)
                        {
                            problems.Add($"dimension {name} has no string value of 1-1024 characters on the root");
                        }
                    }
                }
            }

            if (!directive.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
            {
                problems.Add("a MetricDirective has no Metrics array");
                continue;
            }

            if (metrics.GetArrayLength() > 100)
            {
                problems.Add($"a MetricDirective defines {metrics.GetArrayLength()} metrics (at most 100)");
            }

            foreach (var metric in metrics.EnumerateArray())
            {
                if (!metric.TryGetProperty("Name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString()!.Length is < 1 or > 255)
                {
                    problems.Add("a MetricDefinition has no Name string of 1-255 characters");
                    continue;
                }

                var name = nameElement.GetString()!;
                if (metric.TryGetProperty("Unit", out var unit) && (unit.ValueKind != JsonValueKind.String || !Units.Contains(unit.GetString()!)))
                {
                    problems.Add($"metric {name} has unit {unit} that CloudWatch does not know");
                }

                if (!root.TryGetProperty(name, out var value))
                {
                    problems.Add($"metric {name} has no value on the root");
                }
                else if (value.ValueKind == JsonValueKind.Array
                    ? value.GetArrayLength() > 100 || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number)
                    : value.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"metric {name} is not a number or an array of at most 100 numbers: {value}");
                }
            }
        }

        return problems;
    }
}

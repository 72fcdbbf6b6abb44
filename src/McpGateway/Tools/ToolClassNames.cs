namespace McpGateway.Tools;

/// <summary>The lowercase names categories and risks have in output and on the command line, and the risk of each category.</summary>
internal static class ToolClassNames
{
    public static ToolRisk RiskOf(ToolCategory category) => category switch
    {
        ToolCategory.Read => ToolRisk.Low,
        ToolCategory.Write => ToolRisk.Medium,
        ToolCategory.Execute => ToolRisk.High,
        _ => ToolRisk.Critical,
    };

    public static string Name(ToolCategory category) => category switch
    {
        ToolCategory.Read => "read",
        ToolCategory.Write => "write",
        ToolCategory.Execute => "execute",
        ToolCategory.Destructive => "destructive",
        ToolCategory.Financial => "financial",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    public static string Name(ToolRisk risk) => risk switch
    {
        ToolRisk.Low => "low",
        ToolRisk.Medium => "medium",
        ToolRisk.High => "high",
        ToolRisk.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    /// <summary>Reads <c>low|medium|high|critical</c>, exactly as printed (case-sensitive, like the rest of the CLI's words).</summary>
    public static bool TryParseRisk(string? text, out ToolRisk risk)
    {
        foreach (var candidate in Enum.GetValues<ToolRisk>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                risk = candidate;
                return true;
            }
        }

        risk = default;
        return false;
    }
}

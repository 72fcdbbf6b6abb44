using McpGateway.Cli.Diff;
using McpGateway.Logging;

namespace McpGateway.Tests.Cli.Diff;

/// <summary>Decision lines written by the gateway's own serializer, read back by the diff's reader.</summary>
internal static class LogLines
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static DecisionLogEntry Entry(
        string tool, int second, string[]? keys = null, string decision = "allow", string? rule = null, string outcome = "forwarded", string grant = "agent", string? approvalId = null) => new()
        {
            Time = Start.AddSeconds(second),
            Grant = grant,
            Server = "stripe",
            Tool = tool,
            Decision = decision,
            Rule = rule ?? "tools." + tool,
            Outcome = outcome,
            ArgumentKeys = keys ?? [],
            ArgumentsSha256 = new string('0', 64),
            LatencyMs = 1,
            ApprovalId = approvalId,
        };

    public static string Line(DecisionLogEntry entry) => JsonSerializer.Serialize(entry, DecisionLogJsonContext.Default.DecisionLogEntry);

    public static IReadOnlyList<LoggedCall> Read(params DecisionLogEntry[] entries)
    {
        var reader = new DecisionLogReader();
        foreach (var entry in entries)
        {
            reader.Add(Line(entry));
        }

        Assert.Equal(0, reader.Unreadable);
        return reader.Calls;
    }
}

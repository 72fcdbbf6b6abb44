namespace McpGateway.Tests.Policy;

/// <summary>Helpers that turn JSON text into compiled policies and calls.</summary>
internal static class PolicyTestKit
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);

    public static CompiledPolicy Compile(string json)
    {
        var result = PolicyParser.Parse(json);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return CompiledPolicy.Compile(result.Document!);
    }

    public static PolicyDecision Decide(this CompiledPolicy policy, string tool, string arguments = "{}", string? session = null, DateTimeOffset? at = null)
    {
        using var document = JsonDocument.Parse(arguments);
        return policy.Evaluate(new ToolCall("agent-1", "stripe", tool, document.RootElement.Clone(), session), at ?? Noon);
    }

    public static IReadOnlyList<string> Problems(string json) =>
        [.. PolicyParser.Parse(json).Problems.Select(p => p.ToString())];
}

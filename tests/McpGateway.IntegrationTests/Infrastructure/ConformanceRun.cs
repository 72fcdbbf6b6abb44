namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>What one run of <see cref="ConformanceSuite"/> reported: each scenario's result, the suite's output, how long it took.</summary>
internal sealed record ConformanceRun(IReadOnlyDictionary<string, ConformanceScenarioResult> Scenarios, string Output, TimeSpan Elapsed)
{
    public IReadOnlySet<string> Passed => Scenarios.Values.Where(s => s.Passed).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
}

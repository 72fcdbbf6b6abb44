namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// One scenario of a <see cref="ConformanceRun"/>: the ids of its checks that succeeded, and its FAILURE checks as
/// "check id: message" (none when it passed).
/// </summary>
internal sealed record ConformanceScenarioResult(string Name, IReadOnlySet<string> SucceededChecks, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}

using Xunit.Abstractions;

namespace McpGateway.IntegrationTests.Conformance;

/// <summary>
/// The official MCP conformance suite, both releases pinned in infra/node (0.1.16 for revision 2025-11-25,
/// 0.2.0-alpha.12 for what revision 2026-07-28 requires), run three ways against <see cref="ConformanceUpstream"/>:
/// directly; through a plain pass-through proxy (the control: what any relay in the path changes); and through
/// <see cref="BearerTokenAddingProxy"/> and the real gateway with an allow-everything policy. The suite cannot send
/// credentials, hence the proxy. Every scenario and every check that passes directly must pass through the plain
/// proxy (so a difference through the gateway is the gateway's, not the relay's) and through the gateway.
/// </summary>
public sealed class ConformanceSuiteTests(ITestOutputHelper output)
{
    private const string Policy = """
        {"version":"1","default":"allow","resources":{"*":{}},"prompts":{"*":{}}}
        """;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public Task Revision20251125_ThroughTheGateway_PassesEveryScenarioThatPassesDirectly() =>
        CompareAsync(
            ConformanceSuite.Revision20251125,
            mustPassDirectly:
            [
                "server-initialize", "ping", "logging-set-level", "completion-complete", "tools-list",
                "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource",
                "tools-call-mixed-content", "tools-call-with-logging", "tools-call-error", "tools-call-with-progress",
                "tools-call-sampling", "tools-call-elicitation", "json-schema-2020-12", "elicitation-sep1034-defaults",
                "elicitation-sep1330-enums", "server-sse-multiple-streams", "resources-list", "resources-read-text",
                "resources-read-binary", "resources-templates-read", "resources-subscribe", "resources-unsubscribe",
                "prompts-list", "prompts-get-simple", "prompts-get-with-args", "prompts-get-embedded-resource",
                "prompts-get-with-image", "dns-rebinding-protection",
            ]);

    [Fact]
    public Task Revision20260728_ThroughTheGateway_PassesEveryScenarioThatPassesDirectly() =>
        CompareAsync(
            ConformanceSuite.Revision20260728,
            mustPassDirectly:
            [
                "caching", "completion-complete", "dns-rebinding-protection", "http-custom-header-server-validation",
                "http-header-validation", "json-schema-2020-12", "server-sse-multiple-streams", "sep-2164-resource-not-found",
                "tools-list", "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource",
                "tools-call-mixed-content", "tools-call-error", "tools-call-with-progress",
                "resources-list", "resources-read-text", "resources-read-binary", "resources-templates-read",
                "prompts-list", "prompts-get-simple", "prompts-get-with-args", "prompts-get-embedded-resource", "prompts-get-with-image",
                "input-required-result-basic-elicitation", "input-required-result-basic-list-roots", "input-required-result-basic-sampling",
                "input-required-result-capability-check", "input-required-result-ignore-extra-params",
                "input-required-result-missing-input-response", "input-required-result-multi-round",
                "input-required-result-multiple-input-requests", "input-required-result-non-tool-request",
                "input-required-result-request-state", "input-required-result-result-type",
                "input-required-result-tampered-state", "input-required-result-unsupported-methods",
                "input-required-result-validate-input",
                "tasks-capability-negotiation", "tasks-dispatch-and-envelope", "tasks-lifecycle", "tasks-mrtr-composition",
                "tasks-mrtr-input", "tasks-request-headers", "tasks-request-state-removal", "tasks-required-task-error",
                "tasks-status-notifications", "tasks-wire-fields",
            ]);

    private async Task CompareAsync(ConformanceSuite suite, string[] mustPassDirectly)
    {
        await using var upstream = await ConformanceUpstream.StartAsync();
        var config = new GatewayConfig()
            .Server("conformance", upstream.Url)
            .Policy("open", Policy)
            .Grant("conformance", "conformance", "open", out var token);
        await using var gateway = await GatewayProcess.StartAsync(config.Build());
        await using var tokenProxy = await BearerTokenAddingProxy.StartAsync(gateway.BaseUrl, token);
        await using var plainProxy = await BearerTokenAddingProxy.StartAsync(upstream.Url, token: null);

        var runs = await Task.WhenAll(
            suite.RunAsync(upstream.Url, RunTimeout),
            suite.RunAsync(plainProxy.UrlFor(upstream.Url), RunTimeout),
            suite.RunAsync(tokenProxy.UrlFor(gateway.McpUrl("conformance")), RunTimeout));
        var (direct, plain, throughGateway) = (runs[0], runs[1], runs[2]);
        output.WriteLine(Table(suite, direct, plain, throughGateway));

        var missingDirectly = mustPassDirectly.Where(s => !direct.Passed.Contains(s)).ToList();
        var lostThroughPlainProxy = direct.Passed.Where(s => !plain.Passed.Contains(s)).ToList();
        var lostThroughGateway = direct.Passed.Where(s => !throughGateway.Passed.Contains(s)).ToList();
        // Finer than scenarios: a check that succeeds directly and not through the gateway is a difference the
        // gateway made, even inside a scenario that fails directly for another reason.
        var checksLost = direct.Scenarios.Values
            .Where(s => throughGateway.Scenarios.ContainsKey(s.Name))
            .SelectMany(s => s.SucceededChecks.Where(c => !throughGateway.Scenarios[s.Name].SucceededChecks.Contains(c)).Select(c => $"{s.Name}/{c}"))
            .ToList();

        if (lostThroughGateway.Count + checksLost.Count > 0)
        {
            // What the gateway logged (operational log and decision log) is where a difference gets explained.
            output.WriteLine("gateway output (last 300 lines):\n" + string.Join('\n', gateway.OutputLines().TakeLast(300)));
        }

        foreach (var text in runs.Select(r => r.Output).Concat(gateway.OutputLines()))
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }

        Assert.True(missingDirectly.Count == 0, "fail directly against the upstream: " + string.Join(", ", missingDirectly));
        Assert.True(lostThroughPlainProxy.Count == 0, "pass directly but fail through a plain pass-through proxy (a race any relay exposes?): " + string.Join(", ", lostThroughPlainProxy));
        Assert.True(lostThroughGateway.Count == 0, "pass directly but fail through the gateway: " + string.Join(", ", lostThroughGateway));
        Assert.True(checksLost.Count == 0, "checks that succeed directly but not through the gateway: " + string.Join(", ", checksLost));
    }

    private static string Table(ConformanceSuite suite, ConformanceRun direct, ConformanceRun plain, ConformanceRun throughGateway)
    {
        var text = new StringBuilder()
            .AppendLine($"conformance {suite.Label}: direct {direct.Passed.Count}/{direct.Scenarios.Count} in {direct.Elapsed.TotalSeconds:F0} s, "
                + $"plain proxy {plain.Passed.Count}/{plain.Scenarios.Count} in {plain.Elapsed.TotalSeconds:F0} s, "
                + $"gateway {throughGateway.Passed.Count}/{throughGateway.Scenarios.Count} in {throughGateway.Elapsed.TotalSeconds:F0} s")
            .AppendLine($"{"scenario",-48} {"direct",-7} {"plain",-7} gateway");
        foreach (var name in direct.Scenarios.Keys.Union(throughGateway.Scenarios.Keys).Order(StringComparer.Ordinal))
        {
            text.AppendLine($"{name,-48} {Mark(direct, name),-7} {Mark(plain, name),-7} {Mark(throughGateway, name)}");
        }

        foreach (var (label, run) in new[] { ("direct", direct), ("plain proxy", plain), ("gateway", throughGateway) })
        {
            foreach (var scenario in run.Scenarios.Values.Where(s => !s.Passed))
            {
                text.AppendLine($"{label} {scenario.Name}: {string.Join(" | ", scenario.Failures)}");
            }
        }

        return text.ToString();
    }

    private static string Mark(ConformanceRun run, string scenario) =>
        run.Scenarios.TryGetValue(scenario, out var result) ? (result.Passed ? "pass" : "FAIL") : "-";
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// One release of the official MCP conformance suite as pinned in infra/node, with the scenario selections it is
/// run with (one suite invocation each, in order), started by the pinned Node 22. A run writes one <c>checks.json</c> per scenario (<c>-o</c>); a scenario
/// passes when none of its checks is a FAILURE, as the suite itself counts (warnings and skips do not fail it).
/// </summary>
internal sealed partial class ConformanceSuite(string package, string label, params string[][] selections)
{
    /// <summary>
    /// 0.1.16, the active scenarios of revision 2025-11-25, plus the two the release lists for 2025-11-25 but leaves
    /// out of its active set (pending), each run by name.
    /// </summary>
    public static ConformanceSuite Revision20251125 { get; } = new(
        Path.Combine("@modelcontextprotocol", "conformance"),
        "0.1.16 --spec-version 2025-11-25 (+ json-schema-2020-12, server-sse-polling)",
        ["--spec-version", "2025-11-25"],
        ["--scenario", "json-schema-2020-12"],
        ["--scenario", "server-sse-polling"]);

    /// <summary>0.2.0-alpha.12 (npm alias conformance-2026-07-28), exactly the scenarios revision 2026-07-28 requires, frozen at its release.</summary>
    public static ConformanceSuite Revision20260728 { get; } = new("conformance-2026-07-28", "0.2.0-alpha.12 --requirements 2026-07-28", ["--requirements", "2026-07-28"]);

    public string Label => label;

    public async Task<ConformanceRun> RunAsync(Uri url, TimeSpan timeout)
    {
        var outputDir = Directory.CreateTempSubdirectory("mcpgw-conformance-");
        try
        {
            var clock = Stopwatch.StartNew();
            var output = new StringBuilder();
            foreach (var selection in selections)
            {
                output.Append(await RunOnceAsync(url, selection, outputDir, timeout - clock.Elapsed));
            }

            return new ConformanceRun(ReadScenarios(outputDir), output.ToString(), clock.Elapsed);
        }
        finally
        {
            outputDir.Delete(recursive: true);
        }
    }

    private async Task<string> RunOnceAsync(Uri url, string[] selection, DirectoryInfo outputDir, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.NodeModules, ".bin", "node"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(RepoPaths.NodeModules, package, "dist", "index.js"), "server", "--url", url.ToString(), .. selection, "-o", outputDir.FullName])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"conformance {label} ({string.Join(' ', selection)}) against {url} still running after the run's deadline");
        }

        return await stdout + await stderr;
    }

    private static SortedDictionary<string, ConformanceScenarioResult> ReadScenarios(DirectoryInfo outputDir)
    {
        var results = new SortedDictionary<string, ConformanceScenarioResult>(StringComparer.Ordinal);
        foreach (var file in outputDir.EnumerateFiles("checks.json", SearchOption.AllDirectories))
        {
            var scenario = ResultDirectory().Match(file.Directory!.Name) is { Success: true } match ? match.Groups[1].Value : file.Directory.Name;
            using var checks = JsonDocument.Parse(File.ReadAllText(file.FullName));
            var failures = checks.RootElement.EnumerateArray()
                .Where(c => c.TryGetProperty("status", out var status) && status.GetString() == "FAILURE")
                .Select(c => $"{Text(c, "id")}: {Text(c, "errorMessage")}")
                .ToList();
            var succeeded = checks.RootElement.EnumerateArray()
                .Where(c => c.TryGetProperty("status", out var status) && status.GetString() == "SUCCESS")
                .Select(c => Text(c, "id"))
                .ToHashSet(StringComparer.Ordinal);
            results[scenario] = new ConformanceScenarioResult(scenario, succeeded, failures);
        }

        return results;
    }

    private static string Text(JsonElement check, string property) =>
        check.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    // The suite names each scenario's directory server-<scenario>-<ISO time with ':' and '.' as '-'>.
    [GeneratedRegex(@"^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$")]
    private static partial Regex ResultDirectory();
}

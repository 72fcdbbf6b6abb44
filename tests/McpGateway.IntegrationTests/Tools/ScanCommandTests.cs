using System.Net.Sockets;
using McpGateway.Cli.ParameterStore;
using McpGateway.IntegrationTests.Cli;

namespace McpGateway.IntegrationTests.Tools;

/// <summary>
/// <c>mcpgw scan</c>, the built process, against real MCP servers: server-everything (the initialize
/// handshake), the C# SDK upstream (2026-07-28), and an SDK upstream with AWS ECS/EKS tool names, paged
/// tools/list and an API key.
/// </summary>
public sealed class ScanCommandTests : IDisposable
{
    // Usage errors are found before anything is reached.
    private static readonly ParameterStoreAccess NoParameterStore = new(() => throw new InvalidOperationException("this test never reaches Parameter Store"));

    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-scan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Scan_AwsLikeUpstreamWithItsKey_ClassifiesEveryToolAcrossPages()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}: {upstream.ApiKey}", "--format", "json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var server = json.RootElement.GetProperty("server");
        Assert.Equal("aws-like-test-upstream", server.GetProperty("name").GetString());
        Assert.Equal("2026-07-28", server.GetProperty("protocol_version").GetString());
        var expectedPages = (AwsLikeUpstream.Tools.Count + AwsLikeUpstream.PageSize - 1) / AwsLikeUpstream.PageSize;
        Assert.True(expectedPages > 1);
        Assert.Equal(expectedPages, server.GetProperty("pages").GetInt32());
        Assert.Equal(expectedPages, upstream.ListRequests);

        var tools = json.RootElement.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.Clone());
        Assert.Equal(AwsLikeUpstream.Tools.Select(t => t.Tool.Name), tools.Keys);
        foreach (var (tool, category) in AwsLikeUpstream.Tools)
        {
            Assert.True(category == tools[tool.Name].GetProperty("category").GetString(), $"{tool.Name}: {tools[tool.Name]}");
        }

        Assert.Equal("high", tools["build_and_push_image_to_ecr"].GetProperty("risk").GetString());
        Assert.Equal("""name: "build" is an execute verb""", tools["build_and_push_image_to_ecr"].GetProperty("reasons")[0].GetString());
        Assert.Equal("critical", tools["create_refund"].GetProperty("risk").GetString());
        Assert.Equal("low", tools["list_clusters"].GetProperty("risk").GetString());

        // readOnlyHint is reported as declared and does not lower the class its description gives.
        var purge = tools["purge_image_cache"];
        Assert.True(purge.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
        Assert.Contains(purge.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("annotation: readOnlyHint is true, not followed", StringComparison.Ordinal));

        var manage = tools["manage_k8s_resource"].GetProperty("operation");
        Assert.Equal("args.operation", manage.GetProperty("path").GetString());
        var values = manage.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("value").GetString()!, v => v.GetProperty("category").GetString());
        Assert.Equal(("destructive", "read", "write"), (values["delete"], values["read"], values["patch"]));
    }

    [Fact]
    public async Task Scan_AwsLikeUpstreamWithoutItsKey_ExitsUnavailableNamingTheRefusal()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString());

        Assert.Equal(69, run.Exit);
        Assert.Equal($"{upstream.Url} refused the request with HTTP 401 (Unauthorized); check --header/--bearer or the server's configured headers", run.Error.Trim());
        Assert.Equal("", run.Output);
        Assert.Equal(0, upstream.ListRequests);
    }

    [Fact]
    public async Task Scan_WrongKey_NeverPrintsTheKey()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}: {wrong}", "--bearer", wrong);

        Assert.Equal(69, run.Exit);
        Assert.DoesNotContain(wrong, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_UnreachableUrl_ExitsUnavailableWithOneLine()
    {
        var url = $"http://127.0.0.1:{FreePort()}/mcp";

        var run = await CliProcess.RunAsync("scan", "--url", url);

        Assert.Equal(69, run.Exit);
        Assert.Equal($"cannot reach {url}: Connection refused", run.Error.Trim());
    }

    [Fact]
    public async Task Scan_SdkUpstream_Discovers2026AndPrintsAlignedTable()
    {
        await using var upstream = await SdkUpstream.StartAsync();

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString());

        Assert.True(run.Exit == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal($"gateway-test-upstream 1.0.0 at {upstream.Url} (MCP 2026-07-28): 5 tool(s) in 1 page", lines[0]);
        var header = lines.Single(l => l.StartsWith("TOOL", StringComparison.Ordinal));
        var riskColumn = header.IndexOf("RISK", StringComparison.Ordinal);
        var echo = lines.Single(l => l.StartsWith("echo ", StringComparison.Ordinal));
        Assert.Equal("low", echo[riskColumn..].Split(' ')[0]);
        Assert.Contains("Summary: ", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, upstream.TotalCalls);
    }

    /// <summary>
    /// A reviewer's upstream listed "a" twice: the header counted one, the table showed the first, the starter
    /// policy gave it a rule and stderr said nothing (scan.md: a repeated name gets no rule and is reported).
    /// </summary>
    [Fact]
    public async Task Scan_NameListedTwice_ShowsBothReportsItAndPolicyHasNoRule()
    {
        await using var upstream = await SdkUpstream.StartAsync();
        upstream.ListAlso("""{"name":"a","description":"","inputSchema":{"type":"object"}}""");
        upstream.SetTool("""{"name":"a","description":"Deletes all.","inputSchema":{"type":"object"}}""");

        var table = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString());
        var policy = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--format", "policy");

        Assert.True(table.Exit == 0, table.ToString());
        Assert.Contains("): 7 tool(s) in 1 page", table.Output, StringComparison.Ordinal);
        var rows = table.Output.Split('\n').Where(l => l.StartsWith("a ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("destructive", StringComparison.Ordinal));
        Assert.Equal("the upstream lists tool \"a\" 2 times; every definition is classified, and a starter policy gives it no rule", table.Error.Trim());

        Assert.True(policy.Exit == 0, policy.ToString());
        var tools = JsonNode.Parse(policy.Output)!["tools"]!.AsObject();
        Assert.False(tools.ContainsKey("a"), policy.Output);
        Assert.True(tools.ContainsKey("echo"), policy.Output);
        Assert.Contains("tool \"a\" has no rule: the upstream lists it more than once, so the default deny applies", policy.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ServerEverything_FallsBackToInitializeAndClassifies()
    {
        await using var upstream = await ServerEverything.StartAsync();

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--format", "json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.StartsWith("2025-", json.RootElement.GetProperty("server").GetProperty("protocol_version").GetString(), StringComparison.Ordinal);
        var tools = json.RootElement.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("category").GetString());
        Assert.Equal(
            ("read", "read", "execute", "write"),
            (tools["echo"], tools["get-sum"], tools["trigger-long-running-operation"], tools["toggle-simulated-logging"]));
    }

    [Fact]
    public async Task ScanPolicy_AwsLikeUpstream_ValidatesAndGivesTheSeedDecision()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();
        var policy = Path.Combine(_directory, "starter.json");

        var scan = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}: {upstream.ApiKey}", "--format", "policy");
        Assert.True(scan.Exit == 0, scan.ToString());
        await File.WriteAllTextAsync(policy, scan.Output);

        var validate = await CliProcess.RunAsync("policy", "validate", policy);
        Assert.True(validate.Exit == 0, validate.ToString());
        Assert.Equal($"{policy}: valid (default deny, {AwsLikeUpstream.Tools.Count} tool rule(s), 0 hidden)", validate.Output.Trim());

        var build = await CliProcess.RunAsync("policy", "check", policy, "--tool", "build_and_push_image_to_ecr", "--args", """{"app_path": "/src", "repository": "web"}""", "--json");
        Assert.True(build.Exit == 0, build.ToString());
        using (var decision = JsonDocument.Parse(build.Output))
        {
            Assert.Equal("allow", decision.RootElement.GetProperty("decision").GetString());
            var limit = Assert.Single(decision.RootElement.GetProperty("limits").EnumerateArray());
            Assert.Equal("build_and_push_image_to_ecr_rate", limit.GetProperty("counter").GetString());
            Assert.Equal(10, limit.GetProperty("max").GetInt64());
            Assert.Equal(60, limit.GetProperty("window_seconds").GetInt64());
            Assert.Equal("grant", limit.GetProperty("scope").GetString());
            Assert.Equal("execute", decision.RootElement.GetProperty("class").GetProperty("category").GetString());
        }

        var read = await CliProcess.RunAsync("policy", "check", policy, "--tool", "manage_k8s_resource", "--args", """{"operation": "read", "kind": "Pod", "name": "web"}""");
        var delete = await CliProcess.RunAsync("policy", "check", policy, "--tool", "manage_k8s_resource", "--args", """{"operation": "delete", "kind": "Pod", "name": "web"}""");
        var deleteApp = await CliProcess.RunAsync("policy", "check", policy, "--tool", "delete_app", "--args", """{"app_name": "web"}""");
        var list = await CliProcess.RunAsync("policy", "check", policy, "--tool", "list_clusters");
        var unknown = await CliProcess.RunAsync("policy", "check", policy, "--tool", "not_listed");

        Assert.True(read.Exit == 0, read.ToString());
        Assert.True(delete.Exit == 2, delete.ToString());
        Assert.Contains("\"delete\" (destructive) denied", delete.Output, StringComparison.Ordinal);
        Assert.True(deleteApp.Exit == 3, deleteApp.ToString());
        Assert.True(list.Exit == 0, list.ToString());
        Assert.True(unknown.Exit == 2, unknown.ToString());
    }

    [Fact]
    public async Task ScanPolicy_RiskAtMostHigh_HidesCriticalToolsAndStillValidates()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();
        var policy = Path.Combine(_directory, "ceiling.json");

        var scan = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}: {upstream.ApiKey}", "--format", "policy", "--risk-at-most", "high");
        Assert.True(scan.Exit == 0, scan.ToString());
        await File.WriteAllTextAsync(policy, scan.Output);

        var refund = await CliProcess.RunAsync("policy", "check", policy, "--tool", "create_refund", "--json");
        var read = await CliProcess.RunAsync("policy", "check", policy, "--tool", "manage_k8s_resource", "--args", """{"operation": "read", "kind": "Pod", "name": "web"}""");

        Assert.True(refund.Exit == 2, refund.ToString());
        Assert.Equal("hide", JsonDocument.Parse(refund.Output).RootElement.GetProperty("decision").GetString());
        Assert.True(read.Exit == 0, read.ToString());
    }

    [Fact]
    public async Task ScanTable_RiskAtMostLow_ShowsOnlyReadsAndCountsTheRest()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();

        var run = await CliProcess.RunAsync("scan", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}: {upstream.ApiKey}", "--risk-at-most", "low");

        Assert.True(run.Exit == 0, run.ToString());
        var reads = AwsLikeUpstream.Tools.Where(t => t.Category == "read").ToList();
        foreach (var (tool, _) in AwsLikeUpstream.Tools)
        {
            Assert.Equal(reads.Any(r => r.Tool.Name == tool.Name), run.Output.Contains("\n" + tool.Name + " ", StringComparison.Ordinal));
        }

        Assert.Contains($"{AwsLikeUpstream.Tools.Count - reads.Count} tool(s) above low risk not shown (--risk-at-most).", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanServer_FromConfigFile_SendsTheConfiguredHeaders()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();
        var config = Path.Combine(_directory, "gateway.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "servers": { "ecs": { "url": "{{upstream.Url}}", "headers": { "{{AwsLikeUpstream.ApiKeyHeader}}": "{{upstream.ApiKey}}" } } },
              "policies": {},
              "grants": {}
            }
            """);

        var run = await CliProcess.RunAsync("scan", "--server", "ecs", "--config", config);
        var missing = await CliProcess.RunAsync("scan", "--server", "eks", "--config", config);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("build_and_push_image_to_ecr", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.ApiKey, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.Exit);
        Assert.Equal($"{config} has no server \"eks\" (it has ecs)", missing.Error.Trim());
    }

    [Theory]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--server", "x")]
    [InlineData("--server", "x")]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--config", "gateway.json")]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--format", "yaml")]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--risk-at-most", "severe")]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--header", "no-colon")]
    [InlineData("--url", "http://127.0.0.1:1/mcp", "--header", "Mcp-Session-Id: forged")]
    [InlineData("--url", "ftp://127.0.0.1:1/mcp")]
    public async Task Scan_BadUsage_ExitsUsageError(params string[] args)
    {
        var run = await CliRun.RunAsync(NoParameterStore, ["scan", .. args]);

        Assert.True(run.Exit == 64, run.ToString());
        Assert.NotEqual("", run.Error.Trim());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

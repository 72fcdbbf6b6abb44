using System.Security.Cryptography;
using McpGateway.Configuration;

namespace McpGateway.IntegrationTests.Cli;

/// <summary>
/// <c>mcpgw policy push|pull</c>, <c>servers add</c> and <c>grants create --prefix</c> in-process against
/// moto_server (issue 5), with what they wrote read back by the real <c>aws</c> CLI as an operator would.
/// </summary>
public sealed class SsmCliTests(MotoFixture fixture) : IClassFixture<MotoFixture>, IDisposable
{
    private const string Policy = """
        {
          "version": "1",
          "default": "deny",
          "hide": ["admin_*"],
          "tools": {
            "echo": {},
            "push_files": {
              "deny_if": [ { "path": "args.branch", "op": "regex", "value": "^(main|release/.*)$" } ],
              "reason": "Agents may not push to \"main\" or release branches: ask a person <ops@example.com>."
            },
            "delete_*": { "action": "deny" }
          }
        }
        """;

    private readonly string _prefix = MotoFixture.NewPrefix();
    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-ssm-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task PolicyPush_ValidPolicy_StoresItWithoutWhitespaceAsStandardString()
    {
        var file = Write("policy.json", Policy);

        var run = await Cli("policy", "push", file, "--name", "demo", "--prefix", _prefix + "/");

        Assert.True(run.Exit == 0, run.ToString());
        var parameter = await AwsGetAsync(_prefix + "/policies/demo");
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
        Assert.Equal(1, parameter.GetProperty("Version").GetInt64());
        var stored = parameter.GetProperty("Value").GetString()!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Policy), JsonNode.Parse(stored)), stored);
        Assert.DoesNotContain("\n", stored, StringComparison.Ordinal);
        Assert.Contains("\"^(main|release/.*)$\"", stored, StringComparison.Ordinal);
        Assert.Equal("Standard", await AwsTierAsync(_prefix + "/policies/demo"));
        Assert.Contains($"Parameter: {_prefix}/policies/demo", run.Output, StringComparison.Ordinal);
        Assert.Contains("Version:   1", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Tier:      Standard ({Encoding.UTF8.GetByteCount(stored)} of 4096 bytes)", run.Output, StringComparison.Ordinal);
        Assert.Contains("whitespace removed before upload", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_Again_OverwritesWithNextVersion()
    {
        var file = Write("policy.json", Policy);
        await Cli("policy", "push", file, "--name", "demo", "--prefix", _prefix);
        Write("policy.json", """{"version":"1","default":"allow"}""");

        var run = await Cli("policy", "push", file, "--name", "demo", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("Version:   2", run.Output, StringComparison.Ordinal);
        var parameter = await AwsGetAsync(_prefix + "/policies/demo");
        Assert.Equal("""{"version":"1","default":"allow"}""", parameter.GetProperty("Value").GetString());
    }

    [Fact]
    public async Task PolicyPush_InvalidPolicy_PrintsProblemsLikeValidateAndWritesNothing()
    {
        var file = Write("bad.json", """
            {
              "version": "1",
              "default": "maybe",
              "tools": { "t": { "acton": "deny" } }
            }
            """);

        var push = await Cli("policy", "push", file, "--name", "demo", "--prefix", _prefix);
        var validate = await Cli("policy", "validate", file);

        Assert.Equal(1, push.Exit);
        Assert.Equal(1, validate.Exit);
        var problems = validate.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, problems.Length);
        Assert.All(problems, line => Assert.Contains(line, push.Error, StringComparison.Ordinal));
        Assert.Contains("Nothing was written", push.Error, StringComparison.Ordinal);
        await AssertAbsentAsync(_prefix + "/policies/demo");
    }

    [Fact]
    public async Task PolicyPush_FiveKilobytePolicy_StoredAsAdvanced()
    {
        var file = Write("large.json", PolicyOfSize(5 * 1024));

        var run = await Cli("policy", "push", file, "--name", "large", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("Advanced", await AwsTierAsync(_prefix + "/policies/large"));
        var stored = (await AwsGetAsync(_prefix + "/policies/large")).GetProperty("Value").GetString()!;
        Assert.InRange(Encoding.UTF8.GetByteCount(stored), 4097, 8192);
        Assert.Contains("Tier:      Advanced", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_OverFourKilobytesOnlyWithWhitespace_StoredAsStandard()
    {
        var indented = PolicyOfSize(3900);
        var file = Write("indented.json", indented);
        Assert.True(Encoding.UTF8.GetByteCount(indented) > 4096, "the file itself must be over the Standard limit");

        var run = await Cli("policy", "push", file, "--name", "indented", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("Standard", await AwsTierAsync(_prefix + "/policies/indented"));
        Assert.Contains("Tier:      Standard", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_OverEightKilobytes_RefusedWithAdviceAndNothingWritten()
    {
        var file = Write("huge.json", PolicyOfSize(8193));

        var run = await Cli("policy", "push", file, "--name", "huge", "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Contains("at most 8192", run.Error, StringComparison.Ordinal);
        Assert.Contains("split it", run.Error, StringComparison.Ordinal);
        Assert.Contains("\"delete_*\"", run.Error, StringComparison.Ordinal);
        Assert.Contains("Whitespace is removed", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", run.Error, StringComparison.Ordinal);
        await AssertAbsentAsync(_prefix + "/policies/huge");
    }

    [Fact]
    public async Task PolicyPush_StandardRefusedForAnAdvancedParameter_KeepsItAdvancedAndSaysWhy()
    {
        // AWS refuses to move an Advanced parameter back to Standard; moto does not model that, so the
        // refusal AWS sends is put in front of moto for this test.
        var large = Write("large.json", PolicyOfSize(5 * 1024));
        Assert.Equal(0, (await Cli("policy", "push", large, "--name", "shrinks", "--prefix", _prefix)).Exit);
        var small = Write("small.json", Policy);

        var run = await CliRun.RunAsync(
            fixture.Access(signed => new AdvancedParameterFake(signed)),
            "policy", "push", small, "--name", "shrinks", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("Tier:      Advanced", run.Output, StringComparison.Ordinal);
        Assert.Contains("Standard would do, but Parameter Store refused it", run.Output, StringComparison.Ordinal);
        Assert.Contains("Version:   2", run.Output, StringComparison.Ordinal);
        Assert.Equal("Advanced", await AwsTierAsync(_prefix + "/policies/shrinks"));
        var stored = (await AwsGetAsync(_prefix + "/policies/shrinks")).GetProperty("Value").GetString()!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Policy), JsonNode.Parse(stored)));
    }

    [Fact]
    public async Task PolicyPull_AfterPush_PrintsTheDocumentIndented()
    {
        var file = Write("policy.json", Policy);
        Assert.Equal(0, (await Cli("policy", "push", file, "--name", "demo", "--prefix", _prefix)).Exit);

        var run = await Cli("policy", "pull", "demo", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Policy), JsonNode.Parse(run.Output)), run.Output);
        Assert.StartsWith("{\n  \"version\": \"1\",\n", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<ops@example.com>", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);

        // What pull prints pushes back unchanged.
        var pulled = Write("pulled.json", run.Output);
        var again = await Cli("policy", "push", pulled, "--name", "demo", "--prefix", _prefix);
        Assert.True(again.Exit == 0, again.ToString());
    }

    [Fact]
    public async Task PolicyPull_StoredWithAwsCliAndInvalid_PrintsItAndExitsOneWithProblems()
    {
        await fixture.Moto.PutAsync(_prefix + "/policies/broken", """{"version":"1","default":"maybe"}""");

        var run = await Cli("policy", "pull", "broken", "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Contains("\"default\": \"maybe\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("is not a valid policy", run.Error, StringComparison.Ordinal);
        Assert.Contains("default", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPull_Missing_ExitsOneWithOneLineMessage()
    {
        var run = await Cli("policy", "pull", "absent", "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Equal("", run.Output);
        Assert.Equal($"no policy \"absent\": {_prefix}/policies/absent does not exist in Parameter Store", run.Error.TrimEnd());
    }

    [Fact]
    public async Task PolicyPull_ParameterStoreUnreachable_ExitsOneWithOneLineMessage()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = new McpGateway.Cli.ParameterStore.ParameterStoreAccess(() => McpGateway.Aws.ParameterStoreClient.Create(
            new Amazon.Runtime.BasicAWSCredentials("moto", "moto"), "us-east-1", new Uri($"http://127.0.0.1:{port}/")));

        var run = await CliRun.RunAsync(unreachable, "policy", "pull", "demo", "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("Parameter Store is unavailable", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServersAdd_WithHeader_StoresSecureStringAndNeverPrintsTheValue()
    {
        var secret = "sk-" + Guid.NewGuid().ToString("N");

        var run = await Cli("servers", "add", "everything", "--url", "https://mcp.example.com/mcp", "--header", "X-Api-Key=" + secret, "--header", "X-Tenant=acme", "--timeout-seconds", "30", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.DoesNotContain(secret, run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key, X-Tenant (values not shown)", run.Output, StringComparison.Ordinal);
        var parameter = await AwsGetAsync(_prefix + "/servers/everything");
        Assert.Equal("SecureString", parameter.GetProperty("Type").GetString());
        var decrypted = parameter.GetProperty("Value").GetString()!;
        var server = ConfigEntryParser.ParseServer("everything", Encoding.UTF8.GetBytes(decrypted));
        Assert.Equal(new Uri("https://mcp.example.com/mcp"), server.Url);
        Assert.Equal(secret, server.Headers["X-Api-Key"]);
        Assert.Equal(TimeSpan.FromSeconds(30), server.Timeout);
    }

    [Fact]
    public async Task ServersAdd_WithoutHeaders_StoresString()
    {
        var run = await Cli("servers", "add", "local", "--url", "http://127.0.0.1:3001/mcp", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        var parameter = await AwsGetAsync(_prefix + "/servers/local");
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
        Assert.Equal("""{"url":"http://127.0.0.1:3001/mcp"}""", parameter.GetProperty("Value").GetString());
    }

    [Fact]
    public async Task ServersAdd_AwsSigV4_StoresInferredAuthAndRoleArn()
    {
        var run = await Cli("servers", "add", "ecs", "--url", "https://ecs-mcp.us-west-2.api.aws/mcp", "--aws-sigv4", "--role-arn", "arn:aws:iam::123456789012:role/ecs-agents", "--prefix", _prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("Signing:   AWS SigV4, service ecs-mcp, region us-west-2, as arn:aws:iam::123456789012:role/ecs-agents (one session per grant)", run.Output, StringComparison.Ordinal);
        var parameter = await AwsGetAsync(_prefix + "/servers/ecs");
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
        Assert.Equal("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4","role_arn":"arn:aws:iam::123456789012:role/ecs-agents"}}""", parameter.GetProperty("Value").GetString());
    }

    [Fact]
    public async Task ServersAdd_AwsSigV4WithoutInferableHost_ExitsOneNamingTheEntry()
    {
        var run = await Cli("servers", "add", "private", "--url", "https://mcp.internal.example.com/mcp", "--aws-sigv4", "--prefix", _prefix);
        var usage = await Cli("servers", "add", "private", "--url", "https://mcp.internal.example.com/mcp", "--region", "us-east-1", "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Contains("server \"private\": auth needs \"service\" and \"region\"", run.Error, StringComparison.Ordinal);
        Assert.Equal(64, usage.Exit);
        Assert.Contains("only with --aws-sigv4", usage.Error, StringComparison.Ordinal);
        await AssertAbsentAsync(_prefix + "/servers/private");
    }

    [Fact]
    public async Task ServersAdd_EntryTheGatewayWouldRefuse_ExitsOneAndWritesNothing()
    {
        var secret = "sk-" + Guid.NewGuid().ToString("N");

        var run = await Cli("servers", "add", "bad", "--url", "ftp://example.com/mcp", "--header", "Authorization=Bearer " + secret, "--prefix", _prefix);
        var reserved = await Cli("servers", "add", "bad", "--url", "https://example.com/mcp", "--header", "Host=" + secret, "--prefix", _prefix);

        Assert.Equal(1, run.Exit);
        Assert.Contains("url must be an absolute http or https URL", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, reserved.Exit);
        Assert.Contains("header \"Host\" cannot be configured", reserved.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, run.Output + run.Error + reserved.Output + reserved.Error, StringComparison.Ordinal);
        await AssertAbsentAsync(_prefix + "/servers/bad");
    }

    [Fact]
    public async Task GrantsCreate_WithPrefix_StoresEntryHoldingThePrintedTokensHash()
    {
        var run = await Cli("grants", "create", "--label", "agent-1", "--server", "everything", "--policy", "demo", "--prefix", _prefix, "--token-only");

        Assert.True(run.Exit == 0, run.ToString());
        var token = run.Output.Trim();
        Assert.StartsWith("mcpgw_", token, StringComparison.Ordinal);
        var parameter = await AwsGetAsync(_prefix + "/grants/agent-1");
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
        var entry = JsonNode.Parse(parameter.GetProperty("Value").GetString()!)!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), entry["token_sha256"]!.GetValue<string>());
        Assert.Equal("everything", entry["server"]!.GetValue<string>());
        Assert.Equal("demo", entry["policy"]!.GetValue<string>());
        Assert.DoesNotContain(token, parameter.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrantsCreate_PrefixWithoutValue_StoresUnderTheDefaultPrefix()
    {
        var label = "agent-" + Guid.NewGuid().ToString("N")[..8];

        var run = await Cli("grants", "create", "--label", label, "--server", "everything", "--policy", "demo", "--prefix");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains($"Stored in Parameter Store: /mcp-gateway/grants/{label} (version 1, String, Standard tier).", run.Output, StringComparison.Ordinal);
        var entry = JsonNode.Parse((await AwsGetAsync("/mcp-gateway/grants/" + label)).GetProperty("Value").GetString()!)!;
        Assert.Equal("demo", entry["policy"]!.GetValue<string>());
    }

    [Fact]
    public async Task GrantsCreate_LabelStoredAlready_RefusesAndKeepsTheFirstToken()
    {
        var first = await Cli("grants", "create", "--label", "agent-1", "--server", "everything", "--policy", "demo", "--prefix", _prefix, "--token-only");
        var before = (await AwsGetAsync(_prefix + "/grants/agent-1")).GetProperty("Value").GetString();

        var second = await Cli("grants", "create", "--label", "agent-1", "--server", "everything", "--policy", "demo", "--prefix", _prefix);

        Assert.Equal(0, first.Exit);
        Assert.Equal(1, second.Exit);
        Assert.Equal("", second.Output);
        Assert.Contains("exists already", second.Error, StringComparison.Ordinal);
        var after = await AwsGetAsync(_prefix + "/grants/agent-1");
        Assert.Equal(before, after.GetProperty("Value").GetString());
        Assert.Equal(1, after.GetProperty("Version").GetInt64());
    }

    private Task<CliRun> Cli(params string[] args) => CliRun.RunAsync(fixture.Access(), args);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<JsonElement> AwsGetAsync(string name)
    {
        var (exit, output) = await fixture.Moto.AwsAsync("ssm", "get-parameter", "--name", name, "--with-decryption", "--output", "json");
        Assert.True(exit == 0, output);
        return JsonDocument.Parse(output).RootElement.GetProperty("Parameter").Clone();
    }

    private async Task<string?> AwsTierAsync(string name)
    {
        var (exit, output) = await fixture.Moto.AwsAsync("ssm", "describe-parameters", "--parameter-filters", $"Key=Name,Values={name}", "--output", "json");
        Assert.True(exit == 0, output);
        return JsonDocument.Parse(output).RootElement.GetProperty("Parameters").EnumerateArray().Single().GetProperty("Tier").GetString();
    }

    private async Task AssertAbsentAsync(string name)
    {
        var (exit, output) = await fixture.Moto.AwsAsync("ssm", "get-parameter", "--name", name);
        Assert.NotEqual(0, exit);
        Assert.Contains("ParameterNotFound", output, StringComparison.Ordinal);
    }

    /// <summary>A valid, indented policy at least <paramref name="compactBytes"/> long without its whitespace.</summary>
    internal static string PolicyOfSize(int compactBytes)
    {
        var tools = new JsonObject();
        var document = new JsonObject { ["version"] = "1", ["default"] = "deny", ["tools"] = tools };
        for (var i = 0; Encoding.UTF8.GetByteCount(document.ToJsonString()) < compactBytes; i++)
        {
            tools[$"read_reasonably_named_tool_{i:0000}"] = new JsonObject();
        }

        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

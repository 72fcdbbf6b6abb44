using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using McpGateway.Configuration;
using McpGateway.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// Builds the function exactly as <c>sam build</c> would (the makefile target into a fresh ARTIFACTS_DIR)
/// and runs the artifact, not the source tree, the way the Lambda Web Adapter does: the handler script
/// with the environment the template sets, readiness polled on its path, then MCP calls through it with
/// configuration from Parameter Store (moto) and counters in DynamoDB (dynalite).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LambdaArtifactTests
{
    [Fact]
    public async Task SamMakefileBuild_ArtifactStartedAsTheAdapterDoes_ServesMcpWithSsmAndDynamoDb()
    {
        var artifacts = Directory.CreateTempSubdirectory("mcpgw-artifacts-").FullName;
        try
        {
            // This machine is x86_64; the arm64 runtime packs are not on the registry it builds from.
            var (exit, output) = await RunAsync("make", ["build-GatewayFunction", "ARTIFACTS_DIR=" + artifacts, "LAMBDA_ARCH=x86_64"]);
            Assert.True(exit == 0, output);
            var script = Path.Combine(artifacts, "run.sh");
            Assert.DoesNotContain((byte)'\r', await File.ReadAllBytesAsync(script));
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute));

            await using var moto = await MotoServer.StartAsync();
            await using var dynalite = await Dynalite.StartAsync();
            await using var upstream = await ServerEverything.StartAsync();
            var table = await dynalite.CreateTableAsync();
            const string Prefix = "/mcp-gateway";
            const string Token = "mcpgw_artifact-test-token-0123456789abcdef";
            await moto.PutAsync(Prefix + "/servers/everything", new JsonObject { ["url"] = upstream.Url.ToString() }.ToJsonString());
            await moto.PutAsync(Prefix + "/policies/demo", """{"version":"1","default":"deny","tools":{"echo":{"limits":[{"counter":"echoes","window":"day","max":100}]}}}""");
            await moto.PutAsync(Prefix + "/grants/agent", new JsonObject { ["token_sha256"] = TokenHash.Of(Token), ["server"] = "everything", ["policy"] = "demo" }.ToJsonString());

            var (environment, port, readiness) = TemplateEnvironment(table, Prefix);
            foreach (var (key, value) in MotoServer.Environment(moto.Port))
            {
                environment[key] = value;
            }

            environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Endpoint.ToString();
            await using var function = new ManagedProcess("bash", [script], environment, workingDirectory: artifacts);
            var baseUrl = new Uri($"http://127.0.0.1:{port}");
            await WaitUntilReadyAsync(new Uri(baseUrl, readiness), function);

            await using var client = await CSharpClient.ConnectAsync(new Uri(baseUrl, "/mcp/everything"), Token);
            var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToArray();
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "from the artifact" });

            Assert.Equal(["echo"], tools);
            Assert.Equal("Echo: from the artifact", CSharpClient.Text(echo));
            using var dynamo = dynalite.CreateClient();
            var items = await dynamo.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = table });
            Assert.Single(items.Items);
            Assert.StartsWith("ctr#everything/grant:agent/echoes/86400/", items.Items[0]["pk"].S, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    /// <summary>
    /// The function's environment exactly as template.yaml sets it, with the template's references
    /// resolved for this test. The port is the template's, moved to a free one only if 8080 is taken here.
    /// </summary>
    private static (Dictionary<string, string?> Environment, int Port, string Readiness) TemplateEnvironment(string table, string prefix)
    {
        var template = SamTemplate.Load();
        var variables = SamTemplate.Map(SamTemplate.Get(template.Properties("GatewayFunction"), "Environment"), "Variables");
        var port = int.Parse(SamTemplate.Scalar(variables, "AWS_LWA_PORT"), System.Globalization.CultureInfo.InvariantCulture);
        if (!Loopback.IsFree(port))
        {
            port = Loopback.FreePort();
        }

        var environment = new Dictionary<string, string?>();
        foreach (var (key, node) in variables.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var value = ((YamlScalarNode)node).Value!;
            environment[name] = (node.Tag.IsEmpty ? null : node.Tag.Value, value) switch
            {
                ("!Ref", "ConfigPrefix") => prefix,
                ("!Ref", "ConfigRefreshSeconds") => "30",
                ("!Ref", "CountersTable") => table,
                ("!Ref", "AllowGetStream") => "false",
                ("!Ref", "MetricsToolDimension") => "false",
                ("!Sub", _) when name == "Gateway__SessionKey" => Convert.ToBase64String(new byte[48]),
                (null, _) => value.Replace(":8080", ":" + port, StringComparison.Ordinal),
                var (tag, _) => throw new InvalidOperationException($"the test does not know how to resolve {name}: {tag} {value}"),
            };
        }

        // The adapter layer, not the app, reads these; outside Lambda there is no /opt/bootstrap.
        Assert.Equal("/opt/bootstrap", environment["AWS_LAMBDA_EXEC_WRAPPER"]);
        environment.Remove("AWS_LAMBDA_EXEC_WRAPPER");
        return (environment, port, SamTemplate.Scalar(variables, "AWS_LWA_READINESS_CHECK_PATH"));
    }

    private static async Task WaitUntilReadyAsync(Uri readiness, ManagedProcess function)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(readiness)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !function.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || function.HasExited)
            {
                Assert.Fail("the artifact never became ready:\n" + string.Join('\n', function.StandardError.TakeLast(30)));
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        return (process.ExitCode, await stdout + await stderr);
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using McpGateway.Configuration;
using YamlDotNet.RepresentationModel;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// Builds the function exactly as <c>sam build</c> would (the makefile target into a fresh ARTIFACTS_DIR) as
/// Native AOT, and runs the artifact, not the source tree, the way the Lambda Web Adapter does: the handler
/// script with the environment the template sets, readiness polled on its path, then MCP calls through it with
/// configuration from Parameter Store (moto) and counters in DynamoDB (dynalite). The arm64 artifact cannot
/// run here, so its binary is read instead. Each architecture is published once per test run
/// (<see cref="LambdaArtifactBuilds"/>).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(LambdaArtifactBuildsRunAlone.Name)]
public sealed class LambdaArtifactTests(LambdaArtifactBuilds builds) : IClassFixture<LambdaArtifactBuilds>
{
    /// <summary>EM_X86_64 and EM_AARCH64, the ELF header's e_machine values (System V ABI, ELF gABI).</summary>
    private const ushort X86_64 = 62;
    private const ushort Aarch64 = 183;

    [Fact]
    public async Task SamMakefileBuild_AotArtifactForX64StartedAsTheAdapterDoes_ServesMcpWithSsmAndDynamoDb()
    {
        var artifacts = await builds.BuildAsync("x86_64");
        var script = Path.Combine(artifacts, "run.sh");
        Assert.DoesNotContain((byte)'\r', await File.ReadAllBytesAsync(script));
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("exec \"$(dirname \"$0\")/McpGateway.Host\"", (await File.ReadAllLinesAsync(script)).Last(l => l.Length > 0));
        AssertNativeArtifact(artifacts, X86_64);

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

    [Fact]
    public async Task SamMakefileBuild_Arm64Aot_IsAnAarch64ExecutableWithoutSymbolFiles()
    {
        var artifacts = await builds.BuildAsync("arm64");

        AssertNativeArtifact(artifacts, Aarch64);
        Assert.Equal("exec \"$(dirname \"$0\")/McpGateway.Host\"", (await File.ReadAllLinesAsync(Path.Combine(artifacts, "run.sh"))).Last(l => l.Length > 0));
    }

    [Theory]
    [InlineData("LAMBDA_ARCH=sparc", "LAMBDA_ARCH must be arm64 or x86_64, not \"sparc\"")]
    [InlineData("LAMBDA_BUILD=jit", "LAMBDA_BUILD must be aot or r2r, not \"jit\"")]
    public async Task SamMakefileBuild_UnknownSetting_FailsNamingIt(string setting, string message)
    {
        var artifacts = Directory.CreateTempSubdirectory("mcpgw-artifacts-").FullName;
        try
        {
            var (exit, output) = await LambdaArtifactBuilds.MakeAsync(artifacts, setting);

            Assert.NotEqual(0, exit);
            Assert.Contains(message, output, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(artifacts));
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    /// <summary>
    /// One native executable for <paramref name="machine"/> (read from its ELF header), no managed assembly
    /// and no symbol file beside it, and no glibc symbol newer than Amazon Linux 2023's glibc 2.34, the
    /// operating system of Lambda's dotnet10 runtime: a binary linked against a newer symbol would not load there.
    /// </summary>
    private static void AssertNativeArtifact(string artifacts, ushort machine)
    {
        var binary = Path.Combine(artifacts, "McpGateway.Host");
        var bytes = File.ReadAllBytes(binary);
        Assert.True(bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8), "not an ELF file");
        Assert.Equal(2, bytes[4]); // ELFCLASS64
        Assert.Equal(1, bytes[5]); // little-endian
        Assert.Contains(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(16)), new ushort[] { 2, 3 }); // ET_EXEC or ET_DYN
        Assert.Equal(machine, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(18)));
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.UserExecute));

        var files = Directory.EnumerateFiles(artifacts).Select(Path.GetFileName).ToArray();
        Assert.DoesNotContain(files, f => f!.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".dll", StringComparison.Ordinal));

        var glibc = Regex.Matches(Encoding.Latin1.GetString(bytes), @"GLIBC_2\.([0-9]+)")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.NotEmpty(glibc);
        Assert.True(glibc.Max() <= 34, $"the binary needs GLIBC_2.{glibc.Max()}; Amazon Linux 2023 has 2.34");
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
}

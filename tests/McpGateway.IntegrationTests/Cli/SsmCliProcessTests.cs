namespace McpGateway.IntegrationTests.Cli;

/// <summary>
/// The built <c>mcpgw</c> as a process, configured only by the standard AWS settings the gateway reads
/// (AWS_REGION, AWS_ENDPOINT_URL_SSM, the credential chain): the path users take, which the in-process
/// tests replace with a client for their emulator.
/// </summary>
public sealed class SsmCliProcessTests(MotoFixture fixture) : IClassFixture<MotoFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-ssm-cli-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task PolicyPushAndPull_WithStandardAwsSettings_ReachTheConfiguredEndpoint()
    {
        var prefix = MotoFixture.NewPrefix();
        var file = Path.Combine(_directory, "policy.json");
        await File.WriteAllTextAsync(file, """{ "version": "1", "default": "deny", "tools": { "echo": {} } }""");

        var push = await CliProcess.RunAsync(MotoServer.Environment(fixture.Moto.Port), "policy", "push", file, "--name", "demo", "--prefix", prefix);
        var pull = await CliProcess.RunAsync(MotoServer.Environment(fixture.Moto.Port), "policy", "pull", "demo", "--prefix", prefix);

        Assert.True(push.Exit == 0, push.ToString());
        Assert.True(pull.Exit == 0, pull.ToString());
        var (exit, output) = await fixture.Moto.AwsAsync("ssm", "get-parameter", "--name", prefix + "/policies/demo", "--output", "json");
        Assert.True(exit == 0, output);
        Assert.Equal("""{"version":"1","default":"deny","tools":{"echo":{}}}""", JsonDocument.Parse(output).RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal("deny", JsonDocument.Parse(pull.Output).RootElement.GetProperty("default").GetString());
    }

    [Fact]
    public async Task PolicyPull_NoRegionConfigured_ExitsOneWithOneLineMessage()
    {
        var environment = MotoServer.Environment(fixture.Moto.Port);
        environment["AWS_REGION"] = null;
        environment["AWS_DEFAULT_REGION"] = null;

        var run = await CliProcess.RunAsync(environment, "policy", "pull", "demo");

        Assert.Equal(1, run.Exit);
        Assert.Equal("cannot use Parameter Store: no AWS region: set AWS_REGION", run.Error.Trim());
    }
}

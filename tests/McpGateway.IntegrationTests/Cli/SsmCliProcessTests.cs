using System.Diagnostics;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

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

        var push = await RunAsync(MotoServer.Environment(fixture.Moto.Port), "policy", "push", file, "--name", "demo", "--prefix", prefix);
        var pull = await RunAsync(MotoServer.Environment(fixture.Moto.Port), "policy", "pull", "demo", "--prefix", prefix);

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

        var run = await RunAsync(environment, "policy", "pull", "demo");

        Assert.Equal(1, run.Exit);
        Assert.Equal("cannot use Parameter Store: no AWS region: set AWS_REGION", run.Error.Trim());
    }

    private static async Task<CliRun> RunAsync(IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mcpgw.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}

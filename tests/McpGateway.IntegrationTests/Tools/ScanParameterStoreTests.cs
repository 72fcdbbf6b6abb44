using McpGateway.IntegrationTests.Cli;

namespace McpGateway.IntegrationTests.Tools;

/// <summary><c>mcpgw scan --server NAME --prefix P</c>: the server entry as <c>mcpgw servers add</c> stored it in Parameter Store (moto).</summary>
public sealed class ScanParameterStoreTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task ScanServer_StoredAsSecureString_UsesItsUrlAndHeaders()
    {
        await using var upstream = await AwsLikeUpstream.StartAsync();
        var prefix = MotoFixture.NewPrefix();
        var add = await CliRun.RunAsync(fixture.Access(), "servers", "add", "ecs", "--url", upstream.Url.ToString(), "--header", $"{AwsLikeUpstream.ApiKeyHeader}={upstream.ApiKey}", "--prefix", prefix);
        Assert.True(add.Exit == 0, add.ToString());

        var run = await CliRun.RunAsync(fixture.Access(), "scan", "--server", "ecs", "--prefix", prefix, "--format", "json");
        var missing = await CliRun.RunAsync(fixture.Access(), "scan", "--server", "eks", "--prefix", prefix);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("\"manage_k8s_resource\"", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.ApiKey, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.Exit);
        Assert.Equal($"no server \"eks\": {prefix}/servers/eks does not exist in Parameter Store", missing.Error.Trim());
    }
}

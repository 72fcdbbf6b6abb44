using Amazon.Runtime;
using McpGateway.Aws;

namespace McpGateway.IntegrationTests.Aws;

/// <summary>The Parameter Store client (AWSSDK.SimpleSystemsManagement behind typed results) against moto_server.</summary>
public sealed class ParameterStoreClientTests : IAsyncLifetime
{
    private MotoServer _moto = null!;

    public async Task InitializeAsync() => _moto = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task PutThenGet_StringAndSecureString_RoundTripWithVersions()
    {
        using var client = Client();

        var first = await client.PutParameterAsync("/t1/servers/a", """{"url":"http://127.0.0.1:1/mcp"}""", secure: false, advanced: false, CancellationToken.None);
        var second = await client.PutParameterAsync("/t1/servers/a", """{"url":"http://127.0.0.1:2/mcp"}""", secure: false, advanced: false, CancellationToken.None);
        var secret = await client.PutParameterAsync("/t1/servers/b", """{"url":"http://127.0.0.1:3/mcp","headers":{"X-Api-Key":"s3cret"}}""", secure: true, advanced: false, CancellationToken.None);
        var plain = await client.GetParameterAsync("/t1/servers/a", withDecryption: true, CancellationToken.None);
        var decrypted = await client.GetParameterAsync("/t1/servers/b", withDecryption: true, CancellationToken.None);

        Assert.Equal(1, first.Value);
        Assert.Equal(2, second.Value);
        Assert.True(secret.IsSuccess, secret.Message);
        Assert.Equal("""{"url":"http://127.0.0.1:2/mcp"}""", plain.Value!.Value);
        Assert.Equal(2, plain.Value.Version);
        Assert.Equal("SecureString", decrypted.Value!.Type);
        Assert.Contains("s3cret", decrypted.Value.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParametersByPath_MoreThanOnePage_ReturnsEveryParameter()
    {
        using var client = Client();
        for (var i = 0; i < 25; i++)
        {
            await client.PutParameterAsync($"/t2/policies/p{i:00}", """{"version":"1","default":"deny"}""", secure: false, advanced: false, CancellationToken.None);
        }

        await client.PutParameterAsync("/t2-other/policies/x", "{}", secure: false, advanced: false, CancellationToken.None);
        var all = await client.GetParametersByPathAsync("/t2", recursive: true, withDecryption: true, CancellationToken.None);

        Assert.True(all.IsSuccess, all.Message);
        Assert.Equal(25, all.Value!.Count);
        Assert.Equal(25, all.Value.Select(p => p.Name).Distinct().Count());
        Assert.All(all.Value, p => Assert.StartsWith("/t2/policies/", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetParameter_Missing_IsTypedNotFound()
    {
        using var client = Client();

        var missing = await client.GetParameterAsync("/t3/nothing/here", withDecryption: false, CancellationToken.None);

        Assert.Equal(SsmError.NotFound, missing.Error);
        Assert.Contains("ParameterNotFound", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParameter_EndpointUnreachable_IsTypedUnavailable()
    {
        using var client = ParameterStoreClient.Create(
            new BasicAWSCredentials("moto", "moto"), "us-east-1", new Uri($"http://127.0.0.1:{Loopback.FreePort()}/"), maxErrorRetry: 0);

        var result = await client.GetParameterAsync("/t4/x", withDecryption: false, CancellationToken.None);

        Assert.Equal(SsmError.Unavailable, result.Error);
    }

    private ParameterStoreClient Client() =>
        ParameterStoreClient.Create(new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey), MotoServer.Region, _moto.Endpoint);
}

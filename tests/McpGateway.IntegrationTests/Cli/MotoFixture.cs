using Amazon.Runtime;
using McpGateway.Aws;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.IntegrationTests.Cli;

/// <summary>One moto_server for a test class; each test writes under its own prefix so they cannot see each other.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    internal MotoServer Moto { get; private set; } = null!;

    public async Task InitializeAsync() => Moto = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await Moto.DisposeAsync();

    /// <summary>A fresh prefix no other test uses.</summary>
    public static string NewPrefix() => "/cli-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Parameter Store as the CLI reaches it, pointed at this moto_server. <paramref name="wrap"/> can put a
    /// handler around the SDK's transport (it sees the signed request), to make the service answer as AWS
    /// does where moto does not.
    /// </summary>
    internal ParameterStoreAccess Access(Func<HttpMessageHandler, HttpMessageHandler>? wrap = null) => new(() =>
        ParameterStoreClient.Create(
            new BasicAWSCredentials(MotoServer.AccessKey, MotoServer.SecretKey),
            MotoServer.Region,
            Moto.Endpoint,
            wrap?.Invoke(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })));
}

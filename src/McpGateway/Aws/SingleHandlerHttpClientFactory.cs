using Amazon.Runtime;

namespace McpGateway.Aws;

/// <summary>
/// Hands the AWS SDK one HTTP transport of ours. The SDK signs each request (and each retry) before it reaches
/// the transport, so what the transport sees is exactly what goes on the wire: the warm-up answers from a
/// loopback listener through it, and tests put a handler in it to make a service answer as AWS does where an
/// emulator does not.
/// </summary>
/// <remarks>
/// The factory keeps its one client itself: the SDK's own cache is shared by every SDK client whose
/// configuration looks alike, so two clients with different transports would end up on the first one.
/// </remarks>
internal sealed class SingleHandlerHttpClientFactory(HttpMessageHandler transport) : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new(transport, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => _client.Dispose();
}

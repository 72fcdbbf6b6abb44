using System.Net;
using System.Net.Http.Headers;

namespace McpGateway.Forwarding;

/// <summary>
/// The HTTP client the gateway forwards with: one <see cref="HttpMessageInvoker"/> over a
/// <see cref="SocketsHttpHandler"/> with no proxy, no redirects, no automatic decompression and no
/// cookies (YARP's forwarder client settings): the gateway relays bytes it has judged, it does not browse.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient()
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        });
    }

    public HttpMessageInvoker Invoker { get; }

    public static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    public static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public void Dispose() => Invoker.Dispose();
}

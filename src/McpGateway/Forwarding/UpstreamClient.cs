using System.Net;
using McpGateway.Aws;

namespace McpGateway.Forwarding;

/// <summary>
/// The HTTP client the gateway forwards with: one <see cref="HttpMessageInvoker"/> over a
/// <see cref="SocketsHttpHandler"/> with no proxy, no redirects, no automatic decompression and no
/// cookies (YARP's forwarder client settings): the gateway relays bytes it has judged, it does not browse.
/// Nor does it propagate trace context: the default propagator wrote traceparent, tracestate and baggage on
/// every upstream request, carrying the client's own tracestate and baggage past the header allow-list
/// (found measuring issue 8, where the per-call Activity behind it was 1.4 KB of allocation).
/// Requests to SigV4 upstreams are signed by <see cref="UpstreamSigningHandler"/>, the last step before the
/// socket (issue 13); every other request passes it untouched.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(UpstreamCredentials? credentials = null)
    {
        Invoker = new HttpMessageInvoker(new UpstreamSigningHandler(credentials ?? new UpstreamCredentials(TimeProvider.System), new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // No propagation at all (null also leaves the diagnostics handler out of the chain). With
            // OpenTelemetry added to the host, DistributedContextPropagator.CreateNoOutputPropagator() would
            // keep spans for upstream calls and still send no headers.
            ActivityHeadersPropagator = null,
        }));
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}

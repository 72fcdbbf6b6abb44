using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace McpGateway.Performance.Servers;

/// <summary>
/// Path (b): a bare YARP (Yarp.ReverseProxy 2.1.0) pass-through, configured as YARP documents direct
/// forwarding: <see cref="IHttpForwarder"/> with the default transformer (X-Forwarded-* added, Host
/// replaced, everything else copied) over a <see cref="SocketsHttpHandler"/> without proxy, redirects,
/// decompression or cookies. No routing, load balancing or policies: the least a YARP deployment does.
/// </summary>
internal static class YarpPassThrough
{
    public static async Task<KestrelApp> StartAsync(Uri upstream)
    {
        var builder = KestrelApp.CreateBuilder();
        builder.Services.AddHttpForwarder();
        var web = builder.Build();

        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });

        // HTTP/1.1 to the upstream, as the gateway and the bare pass-through send (plain http has no HTTP/2 upgrade).
        var config = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(100),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var destination = upstream.GetLeftPart(UriPartial.Authority);
        var transformer = HttpTransformer.Default;

        web.Map("/{**path}", async (HttpContext context, IHttpForwarder forwarder) =>
        {
            var error = await forwarder.SendAsync(context, destination, invoker, config, transformer);
            if (error != ForwarderError.None && !context.RequestAborted.IsCancellationRequested)
            {
                PassThroughErrors.Record("yarp", error.ToString());
            }
        });

        web.Lifetime.ApplicationStopped.Register(invoker.Dispose);
        return await KestrelApp.StartAsync(web);
    }
}

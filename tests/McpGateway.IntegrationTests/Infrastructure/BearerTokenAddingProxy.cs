using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback relay that adds <c>Authorization: Bearer &lt;token&gt;</c> to every request, for clients that cannot
/// send headers (the MCP conformance suite). Everything else passes as it came, the Host included, so the
/// target's Host and Origin checks see what the client sent (dns-rebinding-protection). Bodies stream both ways
/// with a flush per read, so SSE events and long-held streams reach the client as the target writes them. With no
/// token it is a plain pass-through, the control for what any proxy in the path changes.
/// </summary>
internal sealed class BearerTokenAddingProxy(WebApplication app, HttpMessageInvoker http, Uri baseUrl) : IAsyncDisposable
{
    // RFC 9110 section 7.6.1: connection-specific fields are not forwarded; Content-Length travels with the content.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length",
    };

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5", "Content-Range", "Content-Disposition", "Expires", "Last-Modified",
    };

    /// <summary>The proxy's own address; a path below it is relayed to the same path on the target.</summary>
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The proxy's URL for <paramref name="targetUrl"/> (same path and query, the proxy's authority).</summary>
    public Uri UrlFor(Uri targetUrl) => new(BaseUrl, targetUrl.PathAndQuery);

    public static async Task<BearerTokenAddingProxy> StartAsync(Uri target, string? token)
    {
        // As the gateway's own forwarder: no proxy, no redirects, no decompression, no cookies, no overall timeout.
        var http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        });
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        app.Run(context => RelayAsync(context, http, target, token));
        var address = await app.StartLoopbackAsync();
        return new BearerTokenAddingProxy(app, http, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        http.Dispose();
    }

    private static async Task RelayAsync(HttpContext context, HttpMessageInvoker http, Uri target, string? token)
    {
        var aborted = context.RequestAborted;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path.Value + context.Request.QueryString));
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentLength is { } length)
            {
                request.Content.Headers.ContentLength = length;
            }
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (ContentHeaders.Contains(name))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.Host = context.Request.Host.Value;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, aborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(aborted);
            await using var body = await response.Content.ReadAsStreamAsync(aborted);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, aborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                    await context.Response.Body.FlushAsync(aborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // The client went away or the target ended the stream abruptly; either ends this relay, as it would a direct connection.
                context.Abort();
            }
        }
    }
}

using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Performance.Servers;

/// <summary>
/// Path (b'): a bare HTTP pass-through written for this harness with <see cref="HttpMessageInvoker"/> over a
/// <see cref="SocketsHttpHandler"/> (no proxy, redirects, decompression or cookies), the response taken at
/// its headers, and both bodies streamed straight through with a flush per chunk: the core of what a
/// reverse proxy's forwarder does, and nothing else (no X-Forwarded-*, no activity propagation, no
/// error taxonomy). YARP runs as path (b); this stays as a floor: the least any HTTP proxy on Kestrel and
/// HttpClient can add.
/// </summary>
internal static class BarePassThrough
{
    private const int CopyBufferBytes = 16 * 1024;

    /// <summary>Hop-by-hop headers (RFC 9110 section 7.6.1) and Host, which the outgoing request sets itself.</summary>
    private static readonly FrozenSet<string> NotForwarded = new[]
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyConnection, HeaderNames.TE, HeaderNames.Trailer,
        HeaderNames.TransferEncoding, HeaderNames.Upgrade, HeaderNames.Host, HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static async Task<KestrelApp> StartAsync(Uri upstream)
    {
        var web = KestrelApp.CreateBuilder().Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });

        var authority = new Uri(upstream.GetLeftPart(UriPartial.Authority));
        web.Run(context => ForwardAsync(context, authority, invoker));
        web.Lifetime.ApplicationStopped.Register(invoker.Dispose);
        return await KestrelApp.StartAsync(web);
    }

    private static async Task ForwardAsync(HttpContext context, Uri authority, HttpMessageInvoker invoker)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), new Uri(authority, incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        if (incoming.ContentLength > 0 || incoming.Headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (NotForwarded.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, Single(values));
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, Single(values));
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            PassThroughErrors.Record("bare", ex.HttpRequestError.ToString());
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            var outgoing = context.Response;
            outgoing.StatusCode = (int)response.StatusCode;
            CopyHeaders(response.Headers.NonValidated, outgoing.Headers);
            CopyHeaders(response.Content.Headers.NonValidated, outgoing.Headers);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            var source = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    // Kestrel's response stream flushes each write, so SSE events leave as they arrive.
                    await outgoing.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void CopyHeaders(HttpHeadersNonValidated from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from)
        {
            if (!NotForwarded.Contains(name))
            {
                to[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : values.ToString();
}

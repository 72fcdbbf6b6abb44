using System.Net.Http.Headers;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Hand-made HTTP/1.1 requests to the gateway, for what no well-behaved MCP client would send: no SDK
/// sits between the test and the bytes on the wire. No proxy, no redirects, no cookies.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    public const string McpAccept = "application/json, text/event-stream";

    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A body with exactly these UTF-8 bytes, typed <c>application/json</c>.</summary>
    public static ByteArrayContent Json(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>
    /// POSTs <paramref name="content"/> with a bearer token (when given) and the Accept header MCP requires;
    /// <paramref name="configure"/> may change anything before it is sent.
    /// </summary>
    public async Task<RawReply> PostAsync(Uri url, string? token, HttpContent? content, Action<HttpRequestMessage>? configure = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.TryAddWithoutValidation("Accept", McpAccept);
        configure?.Invoke(request);
        return await SendAsync(request, cancellationToken);
    }

    public async Task<RawReply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new RawReply(response.StatusCode, headers, response.Content.Headers.ContentType?.MediaType, body);
    }

    public void Dispose() => _client.Dispose();
}

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A fake of API Gateway's path handling (no local API Gateway exists): the browser sees
/// <c>/prod/...</c>, the gateway receives the path without the stage and the Host the browser used,
/// as the Lambda Web Adapter hands it over. Only what the approver page's paths depend on.
/// </summary>
internal sealed class StagePrefixProxyFake(WebApplication app, HttpClient http, Uri baseUrl) : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length" };

    /// <summary>The stage's URL, ending in <c>/prod/</c>.</summary>
    public Uri BaseUrl { get; } = baseUrl;

    public static async Task<StagePrefixProxyFake> StartAsync(Uri gateway)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        app.Map("/prod/{**rest}", async (HttpContext context) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(gateway, "/" + (string?)context.Request.RouteValues["rest"] + context.Request.QueryString));
            if (context.Request.ContentLength is > 0)
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                request.Content = new ByteArrayContent(body.ToArray());
            }

            foreach (var (name, values) in context.Request.Headers)
            {
                if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
                }
            }

            request.Headers.Host = context.Request.Host.Value;
            using var response = await http.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body);
        });
        var address = await app.StartLoopbackAsync();
        return new StagePrefixProxyFake(app, http, new Uri(address, "/prod/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        http.Dispose();
    }
}

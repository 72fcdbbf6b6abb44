namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Another site on 127.0.0.1 serving fixed HTML pages, reached by the browser as <c>http://localhost:port</c>:
/// a different host from the gateway's 127.0.0.1, so to the browser it is another site, as an attacker's
/// page would be.
/// </summary>
internal sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<StaticSite> StartAsync(IReadOnlyDictionary<string, string> pages)
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        foreach (var (path, html) in pages)
        {
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(html);
            });
        }

        var address = await app.StartLoopbackAsync();
        return new StaticSite(app, new Uri($"http://localhost:{address.Port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

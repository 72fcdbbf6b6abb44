using Microsoft.Extensions.Logging.Console;

namespace McpGateway.Performance.Servers;

/// <summary>
/// One of the harness's in-process servers: a slim ASP.NET Core app on Kestrel at 127.0.0.1 that logs to
/// standard error, so a failure mid-run is visible. The gateway apps log as the gateway host does
/// (information and up, ASP.NET Core warnings and up); the others only warnings.
/// </summary>
internal sealed class KestrelApp(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public Uri BaseUrl { get; } = baseUrl;

    public static WebApplicationBuilder CreateBuilder(int port = 0, bool logAsGatewayHost = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(logAsGatewayHost ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        return builder;
    }

    public static async Task<KestrelApp> StartAsync(WebApplication app)
    {
        var address = await app.StartLoopbackAsync();
        return new KestrelApp(app, address);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}

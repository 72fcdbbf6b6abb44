using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace McpGateway.Metrics;

/// <summary>
/// <c>GET /metrics</c> in Prometheus text format, by the OpenTelemetry exporter reading <see cref="GatewayMeter"/>.
/// Only when <c>Gateway:Metrics:Prometheus</c> is on; the OpenTelemetry assemblies are touched only from here, so a
/// gateway without it does not load them at start.
/// </summary>
internal static class PrometheusEndpoint
{
    public const string Path = "/metrics";

    public static bool IsEnabled(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        bool.TryParse(configuration[MetricsOptions.SectionName + ":Prometheus"], out var on) && on;

    public static void AddServices(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMeter.MeterName).AddPrometheusExporter());

    /// <summary>
    /// Maps the scrape endpoint behind <paramref name="authorize"/>, which answers the refusal itself: metrics name
    /// servers, tools and outcomes, so they are for operators only, even on a port no one else should reach.
    /// </summary>
    public static void Map(IEndpointRouteBuilder endpoints, Func<HttpContext, Task<bool>> authorize) =>
        endpoints.MapPrometheusScrapingEndpoint(
            Path,
            meterProvider: null,
            configureBranchedPipeline: branch => branch.Use(next => async context =>
            {
                if (await authorize(context).ConfigureAwait(false))
                {
                    await next(context).ConfigureAwait(false);
                }
            }),
            optionsName: null);
}

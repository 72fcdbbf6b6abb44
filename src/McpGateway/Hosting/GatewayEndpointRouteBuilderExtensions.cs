using System.Diagnostics.CodeAnalysis;
using McpGateway.Admin;
using McpGateway.Endpoint;
using McpGateway.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>
/// Maps the gateway's endpoints: <see cref="MapMcpGateway"/> the MCP front and the health check,
/// <see cref="MapMcpGatewayAdmin"/> the approvers' API, each one call as the MCP SDK's <c>MapMcp</c> is.
/// </summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/mcp/{server}</c> (every HTTP method) and <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapMcpGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var handler = endpoints.ServiceProvider.GetRequiredService<McpEndpointHandler>();

        // Every endpoint is a plain RequestDelegate. A delegate with parameters goes through ASP.NET Core's
        // RequestDelegateFactory, which compiles expression trees when the first request builds the
        // endpoints: about 50 ms of a cold start spent loading System.Linq.Expressions and compiling
        // binders for two route values (issue 8: cold start to the first proxied call).

        // Every HTTP method reaches the handler so that unsupported ones get a JSON-RPC shaped 405.
        // Routing already matches a trailing slash (/mcp/name/), so one pattern covers both forms.
        endpoints.Map("/mcp/{server}", context => handler.HandleAsync(context, RouteValue(context, "server")));

        // Prometheus scraping (issue 18), off by default and for admin credentials only.
        // On the MCP front's own port and path (/metrics, where scrapers look), checked by the admin API's handler.
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Prometheus)
        {
            PrometheusEndpoint.Map(endpoints, endpoints.ServiceProvider.GetRequiredService<AdminEndpointHandler>().AuthorizeAsync);
        }

        // The Lambda Web Adapter polls this until the app serves; it must not depend on configuration.
        endpoints.MapGet("/healthz", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("ok");
        });
        return endpoints;
    }

    /// <summary>
    /// Maps the admin API for approvers (issue 7) under <paramref name="pattern"/>. The returned builder is the
    /// group's, so a host can add its own authorization, rate limiting or CORS policy on top of the admin
    /// credential check the handler always makes.
    /// </summary>
    public static IEndpointConventionBuilder MapMcpGatewayAdmin(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/admin")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);

        var admin = endpoints.ServiceProvider.GetRequiredService<AdminEndpointHandler>();
        var group = endpoints.MapGroup(pattern);
        group.MapGet("/approvals", context => admin.ListAsync(context));
        group.MapGet("/approvals/{id}", context => admin.ShowAsync(context, RouteValue(context, "id")));
        group.MapPost("/approvals/{id}/approve", context => admin.DecideAsync(context, RouteValue(context, "id"), approve: true));
        group.MapPost("/approvals/{id}/reject", context => admin.DecideAsync(context, RouteValue(context, "id"), approve: false));

        // The approver page and its cookie-authenticated API under <pattern>/ui (issue 22).
        AdminPageEndpoints.Map(group);
        return group;
    }

    /// <summary>A route value of the matched pattern: routing guarantees it is there (and already unescaped).</summary>
    private static string RouteValue(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}

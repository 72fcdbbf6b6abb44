using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace McpGateway.Hosting;

/// <summary>Maps the gateway's endpoints: one call, as the MCP SDK's <c>MapMcp</c> is one call.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
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

        // The admin API for approvers (issue 7).
        var admin = endpoints.ServiceProvider.GetRequiredService<AdminEndpointHandler>();
        endpoints.MapGet("/admin/approvals", context => admin.ListAsync(context));
        endpoints.MapGet("/admin/approvals/{id}", context => admin.ShowAsync(context, RouteValue(context, "id")));
        endpoints.MapPost("/admin/approvals/{id}/approve", context => admin.DecideAsync(context, RouteValue(context, "id"), approve: true));
        endpoints.MapPost("/admin/approvals/{id}/reject", context => admin.DecideAsync(context, RouteValue(context, "id"), approve: false));

        // The Lambda Web Adapter polls this until the app serves; it must not depend on configuration.
        endpoints.MapGet("/healthz", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("ok");
        });
        return endpoints;
    }

    /// <summary>A route value of the matched pattern: routing guarantees it is there (and already unescaped).</summary>
    private static string RouteValue(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}

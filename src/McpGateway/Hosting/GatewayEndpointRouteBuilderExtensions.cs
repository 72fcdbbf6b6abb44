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

        // Every HTTP method reaches the handler so that unsupported ones get a JSON-RPC shaped 405.
        // Routing already matches a trailing slash (/mcp/name/), so one pattern covers both forms.
        endpoints.Map("/mcp/{server}", (HttpContext context, string server) => handler.HandleAsync(context, server));

        // The admin API for approvers (issue 7).
        var admin = endpoints.ServiceProvider.GetRequiredService<AdminEndpointHandler>();
        endpoints.MapGet("/admin/approvals", admin.ListAsync);
        endpoints.MapGet("/admin/approvals/{id}", (HttpContext context, string id) => admin.ShowAsync(context, id));
        endpoints.MapPost("/admin/approvals/{id}/approve", (HttpContext context, string id) => admin.DecideAsync(context, id, approve: true));
        endpoints.MapPost("/admin/approvals/{id}/reject", (HttpContext context, string id) => admin.DecideAsync(context, id, approve: false));

        // The Lambda Web Adapter polls this until the app serves; it must not depend on configuration.
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        return endpoints;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace McpGateway.Admin;

/// <summary>
/// The approver page's routes (issue 22), mapped into the admin API's group (<c>/admin</c> by default: the
/// page is <c>/admin/ui</c>), off the MCP path. The page uses only
/// relative URLs (<c>ui/approvals.js</c>, <c>ui/api/...</c>), so it works at <c>/admin/ui</c> locally and at
/// <c>/&lt;stage&gt;/admin/ui</c> behind API Gateway without knowing the prefix.
/// </summary>
internal static class AdminPageEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var sessions = endpoints.ServiceProvider.GetRequiredService<ApproverPageSessions>();
        var admin = endpoints.ServiceProvider.GetRequiredService<AdminEndpointHandler>();

        endpoints.MapGet("/ui", context => ServePageAsync(context));
        endpoints.MapGet("/ui/approvals.css", context => ServeAsync(context, "approvals.css"));
        endpoints.MapGet("/ui/approvals.js", context => ServeAsync(context, "approvals.js"));

        // The page's API: the admin API's own handlers, authenticated by the session cookie (see
        // ApproverPageSessions), with the page's headers on every answer.
        var api = endpoints.MapGroup("/ui/api").WithMetadata(ApproverPageApi.Instance);
        api.MapGet("/session", context => Guarded(context, sessions.ShowAsync));
        api.MapPost("/session", context => Guarded(context, sessions.SignInAsync));
        api.MapPost("/sign-out", context => Guarded(context, sessions.SignOutAsync));
        api.MapGet("/approvals", context => Guarded(context, admin.ListAsync));
        api.MapGet("/approvals/{id}", context => Guarded(context, c => admin.ShowAsync(c, Id(c))));
        api.MapPost("/approvals/{id}/approve", context => Guarded(context, c => admin.DecideAsync(c, Id(c), approve: true)));
        api.MapPost("/approvals/{id}/reject", context => Guarded(context, c => admin.DecideAsync(c, Id(c), approve: false)));
    }

    private static Task ServePageAsync(HttpContext context)
    {
        // Routing also matches /admin/ui/, where the page's relative URLs would resolve one folder too
        // deep; a relative redirect puts the browser back on /admin/ui under any prefix.
        if (context.Request.Path.Value is { } path && path.EndsWith('/'))
        {
            PageSecurityHeaders.Apply(context.Response);
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = "../ui";
            return Task.CompletedTask;
        }

        return ServeAsync(context, "approvals.html");
    }

    private static Task ServeAsync(HttpContext context, string name)
    {
        var (body, contentType) = AdminPageAssets.Find(name)!.Value;
        PageSecurityHeaders.Apply(context.Response);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static Task Guarded(HttpContext context, Func<HttpContext, Task> handler)
    {
        PageSecurityHeaders.Apply(context.Response);
        return handler(context);
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}

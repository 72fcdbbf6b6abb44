using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Admin;

/// <summary>Every way an admin API or approver page request is refused, as a value (as <see cref="GatewayError"/> is for /mcp).</summary>
internal enum AdminError
{
    /// <summary>The body is not what the endpoint reads.</summary>
    InvalidBody,

    /// <summary>The body is not JSON (a cross-site form can post text/plain without asking, but not JSON).</summary>
    NotJson,

    /// <summary>The body has no declared length, or a longer one than the endpoint reads.</summary>
    BodyTooLarge,

    /// <summary>The API needs an admin credential as a Bearer token.</summary>
    CredentialRequired,

    /// <summary>The sign-in presented something that is not an admin credential.</summary>
    NotAnAdminCredential,

    /// <summary>The approver page's API without its session cookie, or with one that has ended.</summary>
    NotSignedIn,

    /// <summary>A request from an origin that is not allowed, or a state change without the page's CSRF token.</summary>
    Forbidden,

    /// <summary>No approval has that id.</summary>
    UnknownApproval,

    /// <summary>The approval is already decided, or has expired.</summary>
    NotPending,

    /// <summary>No valid configuration is loaded.</summary>
    NotConfigured,

    /// <summary>The approval store did not answer (DynamoDB unreachable, its table missing): nothing can be listed or decided.</summary>
    StoreUnavailable,
}

/// <summary>
/// The one place an <see cref="AdminError"/> becomes what the client sees: a status and <c>{"error": "..."}</c>,
/// never cached. The detail, when given, says what exactly was wrong; otherwise the table's message does.
/// </summary>
internal static class AdminErrors
{
    public static (int Status, string Message) Describe(AdminError error) => error switch
    {
        AdminError.InvalidBody => (400, "the request body is not valid"),
        AdminError.NotJson => (415, "the body must be application/json"),
        AdminError.BodyTooLarge => (413, "the body is too large"),
        AdminError.CredentialRequired => (401, "an admin credential is required (grant tokens cannot use the admin API)"),
        AdminError.NotAnAdminCredential => (401, "that is not an admin credential (grant tokens cannot sign in)"),
        AdminError.NotSignedIn => (401, "not signed in: sign in with an admin credential"),
        AdminError.Forbidden => (403, "the Origin of this request is not allowed"),
        AdminError.UnknownApproval => (404, "no such approval"),
        AdminError.NotPending => (409, "the approval is not pending"),
        AdminError.StoreUnavailable => (503, "the approval store is unavailable, so approvals cannot be listed, shown or decided (fail closed); retry when it answers, and see the gateway's log (event 1401) for the cause"),
        _ => (503, "the gateway has no valid configuration loaded"),
    };

    public static async Task WriteAsync(HttpContext context, AdminError error, string? detail = null)
    {
        var (status, message) = Describe(error);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        if (error == AdminError.CredentialRequired)
        {
            response.Headers.WWWAuthenticate = "Bearer realm=\"mcp-gateway-admin\"";
        }

        await JsonSerializer.SerializeAsync(response.Body, new AdminErrorResponse(detail ?? message), AdminJsonContext.Default.AdminErrorResponse, context.RequestAborted).ConfigureAwait(false);
    }
}

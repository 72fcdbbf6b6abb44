using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpGateway.Approvals;
using McpGateway.Configuration;
using McpGateway.Endpoint;
using McpGateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Admin;

/// <summary>
/// The admin API under <c>/admin/</c> (issue 7): list pending approvals, show one, approve or reject with
/// an optional note. Approvers authenticate with an admin credential, never a grant token; every
/// decision is written to the audit stream with who made it and when.
/// </summary>
internal sealed class AdminEndpointHandler(
    IGatewayConfigProvider config,
    IApprovalStore store,
    IDecisionLog audit,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    ApproverPageSessions pageSessions,
    ILogger<AdminEndpointHandler> logger)
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxNoteLength = 1000;

    public async Task ListAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context).ConfigureAwait(false) is null)
        {
            return;
        }

        IReadOnlyList<ApprovalRecord> pending;
        try
        {
            pending = await store.ListPendingAsync(time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApprovalStoreFailure.Is(ex, context.RequestAborted))
        {
            await StoreUnavailableAsync(context, ex).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, 200, new ApprovalListResponse(pending), AdminJsonContext.Default.ApprovalListResponse).ConfigureAwait(false);
    }

    public async Task ShowAsync(HttpContext context, string id)
    {
        if (await AuthenticateAsync(context).ConfigureAwait(false) is null)
        {
            return;
        }

        ApprovalRecord? record;
        try
        {
            record = ApprovalRules.IsValidId(id) ? await store.FindByIdAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
        }
        catch (Exception ex) when (ApprovalStoreFailure.Is(ex, context.RequestAborted))
        {
            await StoreUnavailableAsync(context, ex).ConfigureAwait(false);
            return;
        }

        if (record is null)
        {
            await AdminErrors.WriteAsync(context, AdminError.UnknownApproval, $"no approval with id {Printable(id)}").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, 200, record, AdminJsonContext.Default.ApprovalRecord).ConfigureAwait(false);
    }

    public async Task DecideAsync(HttpContext context, string id, bool approve)
    {
        if (await AuthenticateAsync(context).ConfigureAwait(false) is not { } admin)
        {
            return;
        }

        var (bodyError, note) = await ReadNoteAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (bodyError is not null)
        {
            await AdminErrors.WriteAsync(context, AdminError.InvalidBody, bodyError).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        var action = approve ? "approve" : "reject";
        try
        {
            var existing = ApprovalRules.IsValidId(id) ? await store.FindByIdAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
            if (existing is null)
            {
                Audit(now, action, Printable(id), admin, "not_found", null, note);
                await AdminErrors.WriteAsync(context, AdminError.UnknownApproval, $"no approval with id {Printable(id)}").ConfigureAwait(false);
                return;
            }

            var decided = await store.DecideAsync(id, approve, admin.Name, note, now, context.RequestAborted).ConfigureAwait(false);
            if (decided is null)
            {
                var current = await store.FindByIdAsync(id, context.RequestAborted).ConfigureAwait(false) ?? existing;
                var state = current.State == ApprovalStatus.Pending && current.IsExpired(now) ? "expired" : current.Status;
                Audit(now, action, id, admin, "not_pending", current, note);
                await AdminErrors.WriteAsync(context, AdminError.NotPending, $"approval {id} is {state}, not pending").ConfigureAwait(false);
                return;
            }

            Audit(now, action, id, admin, decided.Status, decided, note);
            await WriteAsync(context, 200, decided, AdminJsonContext.Default.ApprovalRecord).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApprovalStoreFailure.Is(ex, context.RequestAborted) && !context.Response.HasStarted)
        {
            // The attempt is audited too: an approver who could not decide is part of the record.
            Audit(now, action, Printable(id), admin, "store_unavailable", null, note);
            await StoreUnavailableAsync(context, ex).ConfigureAwait(false);
        }
    }

    /// <summary>The store's failure, named by its exception type only (never a key or a record), then the one refusal.</summary>
    private async Task StoreUnavailableAsync(HttpContext context, Exception ex)
    {
        GatewayLog.ApprovalStoreFailed(logger, ex.GetType().Name);
        await AdminErrors.WriteAsync(context, AdminError.StoreUnavailable).ConfigureAwait(false);
    }

    /// <summary>Whether the request carries an admin credential; otherwise the refusal (401, 403 or 503) is written.</summary>
    public async Task<bool> AuthorizeAsync(HttpContext context) => await AuthenticateAsync(context).ConfigureAwait(false) is not null;

    private async Task<AdminConfig?> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;

        // The approver page's routes take its session cookie and nothing else; these take only Bearer (issue 22).
        if (ApproverPageSessions.IsPageApi(context))
        {
            return await pageSessions.AuthenticateAsync(context).ConfigureAwait(false);
        }

        if (!OriginValidator.IsAllowed(request, options.Value.AllowedOrigins))
        {
            await AdminErrors.WriteAsync(context, AdminError.Forbidden).ConfigureAwait(false);
            return null;
        }

        var snapshot = config.Current;
        if (!snapshot.IsLoaded)
        {
            await AdminErrors.WriteAsync(context, AdminError.NotConfigured).ConfigureAwait(false);
            return null;
        }

        var header = request.Headers[HeaderNames.Authorization];
        AdminConfig? admin = null;
        if (header.Count == 1 && header[0] is { Length: > 7 and < 520 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            admin = snapshot.FindAdmin(SHA256.HashData(Encoding.UTF8.GetBytes(value[7..].Trim())));
        }

        if (admin is null)
        {
            await AdminErrors.WriteAsync(context, AdminError.CredentialRequired).ConfigureAwait(false);
        }

        return admin;
    }

    private static async Task<(string? Error, string? Note)> ReadNoteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey(HeaderNames.TransferEncoding)))
        {
            return (null, null);
        }

        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return ("the body must be application/json: {\"note\": \"...\"}", null);
        }

        var (error, body) = await RequestBodyReader.ReadAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (error != GatewayError.None)
        {
            return ($"the body is larger than {MaxBodyBytes} bytes", null);
        }

        using var pooledBody = body!;
        try
        {
            var parsed = JsonSerializer.Deserialize(pooledBody.WrittenSpan, AdminJsonContext.Default.ApprovalDecisionRequest);
            return parsed?.Note is { Length: > MaxNoteLength }
                ? ($"the note is longer than {MaxNoteLength} characters", null)
                : (null, parsed?.Note);
        }
        catch (JsonException ex)
        {
            return ("the body must be {\"note\": \"...\"}: " + ex.Message, null);
        }
    }

    private void Audit(DateTimeOffset now, string action, string id, AdminConfig admin, string outcome, ApprovalRecord? record, string? note) =>
        audit.Write(new ApprovalLogEntry
        {
            Time = now,
            Action = action,
            ApprovalId = id,
            Admin = admin.Name,
            Outcome = outcome,
            Grant = record?.Grant,
            Server = record?.Server,
            Tool = record?.Tool,
            Note = note,
        });

    private static string Printable(string id) => id.Length > 64 || !ApprovalRules.IsValidId(id) ? "(invalid id)" : id;

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }
}

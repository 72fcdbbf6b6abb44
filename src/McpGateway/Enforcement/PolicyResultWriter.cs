using System.Text.Json;
using McpGateway.Approvals;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Enforcement;

/// <summary>
/// Answers a call the gateway will not forward with a tool result the agent can read and adapt to
/// (issue 3): <c>isError: true</c>, a text <c>Policy denied: reason</c>, and the structured details under
/// the namespaced <c>_meta</c> key <see cref="MetaKey"/>. A tool result, not a JSON-RPC error, because
/// agents show tool results to the model, which can then change course.
/// </summary>
internal static class PolicyResultWriter
{
    public const string MetaKey = "mcp-gateway/policy";

    public static async Task WriteAsync(HttpContext context, JsonElement id, PolicyDecision decision, string reason, ReservationOutcome? limit, DateTimeOffset now, ApprovalRecord? approval = null)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            JsonRpcWriter.WriteStart(writer, id);
            writer.WriteStartObject("result"u8);

            writer.WriteStartArray("content"u8);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text");
            writer.WriteString("text"u8, "Policy denied: " + reason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteBoolean("isError"u8, true);

            writer.WriteStartObject("_meta"u8);
            writer.WriteStartObject(MetaKey);
            writer.WriteString("decision"u8, DecisionName(decision.Kind));
            writer.WriteString("rule"u8, limit?.Failed?.Rule ?? decision.Rule);
            writer.WriteString("reason"u8, reason);
            if (limit?.Failed is { } failed)
            {
                WriteLimit(writer, failed, limit, now);
            }

            if (approval is not null)
            {
                writer.WriteStartObject("approval"u8);
                writer.WriteString("id"u8, approval.Id);
                writer.WriteString("status"u8, approval.Status);
                writer.WriteString("expires_at"u8, approval.ExpiresAt);
                if (approval.DecidedBy is { } decidedBy)
                {
                    writer.WriteString("decided_by"u8, decidedBy);
                }

                if (approval.Note is { } note)
                {
                    writer.WriteString("note"u8, note);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static string DecisionName(DecisionKind kind) => kind switch
    {
        DecisionKind.Allow => "allow",
        DecisionKind.Deny => "deny",
        DecisionKind.Hide => "hide",
        _ => "approve",
    };

    /// <summary>Seconds until the window of <paramref name="limit"/> resets, at least 1.</summary>
    public static long RetryAfterSeconds(LimitReservation limit, DateTimeOffset now) =>
        Math.Max(1, (long)Math.Ceiling((limit.WindowEnd - now).TotalSeconds));

    private static void WriteLimit(Utf8JsonWriter writer, LimitReservation failed, ReservationOutcome outcome, DateTimeOffset now)
    {
        writer.WriteStartObject("limit"u8);
        writer.WriteString("counter"u8, failed.Limit.Counter);
        writer.WriteString("scope"u8, PolicyVocabulary.Scopes.NameOf(failed.Limit.Scope));
        writer.WriteNumber("max"u8, failed.Limit.Max);
        writer.WriteNumber("window_seconds"u8, failed.Limit.WindowSeconds);
        writer.WriteNumber("increment"u8, failed.Increment);
        if (outcome.CurrentUse is { } current)
        {
            writer.WriteNumber("current"u8, current);
        }

        writer.WriteEndObject();
        if (outcome.Status == ReservationStatus.LimitExceeded)
        {
            writer.WriteString("reset_at"u8, failed.WindowEnd);
            writer.WriteNumber("retry_after_seconds"u8, RetryAfterSeconds(failed, now));
        }
    }
}

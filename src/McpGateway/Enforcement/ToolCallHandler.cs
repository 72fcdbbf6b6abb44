using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using McpGateway.Forwarding;
using McpGateway.Hosting;
using McpGateway.Logging;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpGateway.Enforcement;

/// <summary>
/// Enforces the policy on one <c>tools/call</c>: evaluate, reserve the decision's limits, forward, and
/// give the reservation back when the upstream call fails, so failed calls consume no quota. Every
/// call ends with one decision log line, including a call whose client hung up while it was forwarded.
/// </summary>
internal sealed class ToolCallHandler(
    UpstreamForwarder forwarder,
    ICounterStore counters,
    IDecisionLog decisionLog,
    TimeProvider time,
    ILogger<ToolCallHandler> logger)
{
    public async Task HandleAsync(HttpContext context, RequestScope scope, JsonRpcMessage message)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var tool = message.ToolName!;
        var arguments = message.Arguments;

        var decision = scope.Policy?.Evaluate(new ToolCall(scope.Grant.Label, scope.Server.Name, tool, arguments, scope.UpstreamSessionId), now)
            ?? new PolicyDecision(DecisionKind.Deny, "policy", scope.PolicyFailureReason);

        if (decision.Kind != DecisionKind.Allow)
        {
            // Approvals answer with the denial shape until the approval flow exists (issue 3, issue 7).
            await PolicyResultWriter.WriteAsync(context, message.Id, decision, decision.Reason ?? "denied by policy", null, now).ConfigureAwait(false);
            Log(scope, message, decision, decision.Kind == DecisionKind.Approve ? "approval_required" : "denied", null, now, started);
            return;
        }

        var reservation = ReservationOutcome.Empty;
        if (!decision.Limits.IsEmpty)
        {
            reservation = await ReserveAsync(decision.Limits, context.RequestAborted).ConfigureAwait(false);
            if (reservation.Status != ReservationStatus.Reserved)
            {
                var failed = reservation.Failed!.Value;
                var limited = reservation.Status == ReservationStatus.LimitExceeded;
                var reason = limited
                    ? $"rate limit \"{failed.Limit.Counter}\" reached: at most {failed.Limit.Max} per {Window(failed.Limit.WindowSeconds)}; retry after {PolicyResultWriter.RetryAfterSeconds(failed, now)} s"
                    : $"the rate-limit store is unavailable, so calls counted by \"{failed.Limit.Counter}\" are refused (fail closed)";
                var denial = new PolicyDecision(DecisionKind.Deny, failed.Rule, reason);
                await PolicyResultWriter.WriteAsync(context, message.Id, denial, reason, reservation, now).ConfigureAwait(false);
                Log(scope, message, denial, limited ? "rate_limited" : "store_unavailable", null, now, started);
                return;
            }
        }

        ForwardResult? result = null;
        try
        {
            result = await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Post, message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Handled below: the call was sent, so it must still be logged.
        }

        if (result is not { Completed: true } && context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up after the call was sent: the upstream may already have acted on it, so
            // it keeps its quota (giving it back would let any client dodge a limit by hanging up) and,
            // like every call that may have reached the upstream, it is logged.
            Log(scope, message, decision, "client_aborted", result?.UpstreamStatus, now, started);
            return;
        }

        var forwarded = result!.Value;
        if (!forwarded.Completed && !reservation.Reserved.IsEmpty)
        {
            // The upstream failed the call: give the quota back, on a token of our own so that the client
            // hanging up now cannot stop the rollback.
            await counters.RollbackAsync(reservation.Reserved, CancellationToken.None).ConfigureAwait(false);
        }

        Log(scope, message, decision, forwarded.Completed ? "forwarded" : "upstream_failed", forwarded.UpstreamStatus, now, started);
    }

    private async ValueTask<ReservationOutcome> ReserveAsync(ImmutableArray<LimitReservation> limits, CancellationToken cancellationToken)
    {
        try
        {
            return await counters.ReserveAsync(limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store that throws is a store that cannot answer: fail closed unless every limit opted out.
            GatewayLog.CounterStoreFailed(logger, limits[0].Limit.Counter, ex.GetType().Name);
            var failClosed = limits.FirstOrDefault(l => l.Limit.OnStoreError == StoreErrorMode.Deny);
            return failClosed.Key is null
                ? ReservationOutcome.Empty
                : new ReservationOutcome(ReservationStatus.StoreUnavailable, [], failClosed, StoreError: ex.GetType().Name);
        }
    }

    /// <summary>Writes the decision line; <paramref name="received"/> dates it to when the call arrived, not when it finished.</summary>
    private void Log(RequestScope scope, JsonRpcMessage message, PolicyDecision decision, string outcome, int? upstreamStatus, DateTimeOffset received, long started)
    {
        var arguments = message.Arguments;
        var tool = message.ToolName!;
        decisionLog.Write(new DecisionLogEntry
        {
            Time = received,
            RequestId = message.IdText,
            Grant = scope.Grant.Label,
            Server = scope.Server.Name,
            Tool = tool.Length > 128 ? tool[..128] : tool,
            Decision = PolicyResultWriter.DecisionName(decision.Kind),
            Rule = decision.Rule,
            Outcome = outcome,
            Policy = scope.Grant.Policy,
            PolicyVersion = scope.PolicyVersion,
            ArgumentKeys = arguments.ValueKind == JsonValueKind.Object ? [.. arguments.EnumerateObject().Select(p => p.Name)] : [],
            ArgumentsSha256 = CanonicalJson.Sha256Hex(arguments),
            LatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
            UpstreamStatus = upstreamStatus,
        });
    }

    private static string Window(long seconds) => seconds switch
    {
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        _ => $"{seconds} s",
    };
}

using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using McpGateway.Approvals;
using McpGateway.Catalog;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Metrics;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpGateway.Enforcement;

/// <summary>
/// Enforces the policy on one <c>tools/call</c>: evaluate, reserve the decision's limits, forward, and
/// give the reservation back only when the upstream provably did not run the call (issue 16). Every
/// call ends with one decision log line, including a call whose client hung up while it was forwarded.
/// </summary>
internal sealed class ToolCallHandler(
    UpstreamForwarder forwarder,
    ICounterStore counters,
    ApprovalGate approvals,
    ToolDefinitionCheck definitions,
    ToolCatalog catalog,
    IDecisionLog decisionLog,
    GatewayMeter meter,
    TimeProvider time,
    ILogger<ToolCallHandler> logger)
{
    /// <remarks>
    /// A pooled <see cref="ValueTask"/>: its one caller awaits it directly (issue 8: allocations per call). A call that
    /// is <c>continued</c>, a later round of a multi-round-trip call (issue 21), is policed again, but its approval and
    /// its limits were used by the first round, so it asks for and counts neither.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask HandleAsync(HttpContext context, RequestScope scope, JsonRpcMessage message, bool continued = false)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var tool = message.ToolName!;
        var arguments = message.Arguments;

        var toolCall = new ToolCall(scope.Grant.Label, scope.Server.Name, tool, arguments, scope.UpstreamSessionId);
        var decision = scope.Policy?.Evaluate(toolCall, now)
            ?? new PolicyDecision(DecisionKind.Deny, "policy", scope.PolicyFailureReason);
        var shadow = ShadowCheck.Evaluate(scope.Policy, toolCall, now, decision);
        var shadowVerdict = shadow.Verdict;

        // A hidden tool is indistinguishable from one that does not exist: the same result and the same decision line.
        // Where the policy hides a tool, a permitted call to a tool the server does not list is answered the same
        // way, not forwarded: the server's own unknown-tool answer differs from the gateway's, and would tell the
        // two apart (issue 16). When the server's tools cannot be read, such a call goes on as the policy decided.
        if (decision.Kind == DecisionKind.Hide ||
            (decision.Kind is DecisionKind.Allow or DecisionKind.Approve && scope.Policy!.HidesTools &&
             await definitions.IsUnlistedAsync(scope, tool, context.RequestAborted).ConfigureAwait(false)))
        {
            decision = scope.Policy!.HiddenAtCall;
            if (scope.Policy.Document.Default == DefaultAction.Allow)
            {
                await GatewayErrorResponder.WriteAsync(context, GatewayError.UnknownTool, tool.Length > 128 ? tool[..128] : tool, message.Id).ConfigureAwait(false);
                Log(scope, message, decision, CallOutcome.Denied, null, now, started);
                return;
            }
        }

        // Mcp-Param-* headers are checked against the body (issue 21) for a call that may go upstream, before an
        // approval or a limit: a denied or hidden tool is never looked up, so a stray header cannot tell an agent
        // that a hidden tool exists, or which headers it declares.
        List<KeyValuePair<string, string>>? paramHeaders = null;
        if (decision.Kind is DecisionKind.Allow or DecisionKind.Approve && ParamHeaders.Present(context.Request))
        {
            var listed = await definitions.ListedAsync(scope, tool, context.RequestAborted).ConfigureAwait(false);
            string? problem = null;
            paramHeaders = listed is null ? [] : ParamHeaders.Check(context.Request, listed.InputSchema, arguments, out problem);
            if (paramHeaders is null)
            {
                var error = McpHeaders.IsStateless(context.Request) ? GatewayError.StatelessHeaderMismatch : GatewayError.HeaderMismatch;
                await GatewayErrorResponder.WriteAsync(context, error, problem, message.Id).ConfigureAwait(false);
                return;
            }
        }

        // Before an approval is asked for or a limit counts: a drifted tool or malformed arguments consume nothing (issue 15).
        if (decision.Kind is DecisionKind.Allow or DecisionKind.Approve && ToolDefinitionCheck.Applies(scope, decision))
        {
            var refusal = await definitions.CheckAsync(scope, tool, arguments, decision, context.RequestAborted).ConfigureAwait(false);
            if (refusal is not null)
            {
                var denial = new PolicyDecision(DecisionKind.Deny, refusal.Rule, refusal.Reason);
                await PolicyResultWriter.WriteAsync(context, message.Id, denial, refusal.Reason, null, now).ConfigureAwait(false);
                Log(scope, message, denial, refusal.Outcome, null, now, started, shadow: shadowVerdict);
                return;
            }
        }

        // A shadowed validate_arguments is judged as it would be enforced (issue 17): for the decision line only.
        if (shadow.ValidatesWhereEnforcementDoesNot(decision))
        {
            var wouldRefuse = await definitions.CheckAsync(scope, tool, arguments, shadow.Would!, context.RequestAborted).ConfigureAwait(false);
            if (wouldRefuse is not null)
            {
                shadowVerdict = new ShadowLogEntry("deny", wouldRefuse.Rule, wouldRefuse.Reason);
            }
        }

        ApprovalRecord? approved = null;
        if (decision.Kind == DecisionKind.Approve && !continued)
        {
            ApprovalCheck check;
            try
            {
                check = await approvals.CheckAsync(ApprovalRequestFor(scope, message, decision), context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ApprovalStoreFailure.Is(ex, context.RequestAborted))
            {
                GatewayLog.ApprovalStoreFailed(logger, ex.GetType().Name);
                const string Unavailable = "the approval store is unavailable, so calls that need approval are refused (fail closed)";
                await PolicyResultWriter.WriteAsync(context, message.Id, decision, Unavailable, null, now).ConfigureAwait(false);
                Log(scope, message, decision, CallOutcome.ApprovalStoreUnavailable, null, now, started, storeError: ex.GetType().Name, shadow: shadowVerdict);
                return;
            }

            if (check.Kind != ApprovalCheckKind.Approved)
            {
                var record = check.Record;
                var (reason, outcome) = check.Kind == ApprovalCheckKind.Rejected
                    ? ($"this call was rejected by {record.DecidedBy}" + (string.IsNullOrEmpty(record.Note) ? "" : ": " + record.Note), CallOutcome.ApprovalRejected)
                    : ($"this call needs a human approval. Approval {record.Id} is pending until {record.ExpiresAt:u}; ask your user to have it approved, then retry the identical call", CallOutcome.ApprovalPending);
                await PolicyResultWriter.WriteAsync(context, message.Id, decision, reason, null, now, record).ConfigureAwait(false);
                Log(scope, message, decision, outcome, null, now, started, record.Id, shadow: shadowVerdict);
                return;
            }

            approved = check.Record;
        }
        else if (decision.Kind != DecisionKind.Allow && !(continued && decision.Kind == DecisionKind.Approve))
        {
            await PolicyResultWriter.WriteAsync(context, message.Id, decision, decision.Reason ?? "denied by policy", null, now).ConfigureAwait(false);
            Log(scope, message, decision, CallOutcome.Denied, null, now, started);
            return;
        }

        var reservation = ReservationOutcome.Empty;
        if (!decision.Limits.IsEmpty && !continued)
        {
            reservation = await ReserveAsync(decision.Limits, context.RequestAborted).ConfigureAwait(false);
            if (reservation.Status != ReservationStatus.Reserved)
            {
                var failed = reservation.Failed!.Value;
                var limited = reservation.Status == ReservationStatus.LimitExceeded;
                var reason = limited
                    ? LimitReachedReason(failed, now)
                    : $"the rate-limit store is unavailable, so calls counted by \"{failed.Limit.Counter}\" are refused (fail closed)";
                var denial = new PolicyDecision(DecisionKind.Deny, failed.Rule, reason);
                await PolicyResultWriter.WriteAsync(context, message.Id, denial, reason, reservation, now).ConfigureAwait(false);

                // A call refused by a limit leaves its approval unused (issue 7).
                Log(scope, message, denial, limited ? CallOutcome.RateLimited : CallOutcome.StoreUnavailable, null, now, started, approved?.Id, storeError: reservation.StoreError, shadow: shadowVerdict);
                return;
            }
        }

        if (!shadow.Limits.IsEmpty && !continued && shadowVerdict is null)
        {
            var (shadowReserved, limitVerdict) = await ReserveShadowAsync(shadow.Limits, now, context.RequestAborted).ConfigureAwait(false);
            reservation = reservation with { Reserved = reservation.Reserved.AddRange(shadowReserved) };
            shadowVerdict = limitVerdict;
        }

        // The approval is used only once the limits admitted the call, and only by one call: the store's
        // conditional write decides between concurrent retries; the losers give their reservation back.
        if (approved is not null && !await TryConsumeAsync(approved, context.RequestAborted).ConfigureAwait(false))
        {
            await counters.RollbackAsync(reservation.Reserved, CancellationToken.None).ConfigureAwait(false);
            var used = $"approval {approved.Id} was already used by another call; retrying will ask for a new approval";
            await PolicyResultWriter.WriteAsync(context, message.Id, decision, used, null, now, approved).ConfigureAwait(false);
            Log(scope, message, decision, CallOutcome.ApprovalUsed, null, now, started, approved.Id, storeError: reservation.StoreError, shadow: shadowVerdict);
            return;
        }

        var call = new ToolCallExchange
        {
            Handler = this,
            Scope = scope,
            Message = message,
            Decision = decision,
            Reserved = reservation.Reserved,
            Received = now,
            Started = started,
            ApprovalId = approved?.Id,
            StoreError = reservation.StoreError,
            Forwarded = Stopwatch.GetTimestamp(),
            Shadow = shadowVerdict,
        };

        // The forwarder ends the call through FinishAsync, once, on every path.
        await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Post, message, paramHeaders), call).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a forwarded call: gives its quota back if the upstream failed it, then writes its decision line. The
    /// forwarder calls this exactly once, before the response ends (before a JSON answer or error leaves, before
    /// an SSE stream's end): on Lambda the invocation is over once the response is complete, and the environment
    /// may be frozen or reclaimed before a later line is written (issue 8 tried the reverse). A client that hung
    /// up keeps the call's quota, since the upstream may already have acted (giving it back would let any client
    /// dodge a limit by hanging up). The rollback runs on a token of its own, so the client cannot stop it.
    /// </summary>
    internal async ValueTask FinishAsync(ToolCallExchange call, ForwardResult outcome)
    {
        // Quota goes back only when the upstream provably did not run the call (issue 16).
        if (outcome.ProvablyNotRun && !call.Reserved.IsEmpty)
        {
            await counters.RollbackAsync(call.Reserved, CancellationToken.None).ConfigureAwait(false);
        }

        // A client that hung up cut the wait short, and a call that never reached the server was not waited for:
        // in neither case is how long the upstream took known.
        double? upstreamLatency = outcome.Outcome == UpstreamOutcome.ClientGone || !outcome.ReachedUpstream
            ? null
            : Math.Round(Stopwatch.GetElapsedTime(call.Forwarded).TotalMilliseconds, 3);
        Log(call.Scope, call.Message, call.Decision, OutcomeOf(outcome.Outcome), outcome.UpstreamStatus, call.Received, call.Started, call.ApprovalId, upstreamLatency, call.StoreError, shadow: call.Shadow);
    }

    /// <summary>What became of a forwarded call, from what the forwarder can prove about the upstream.</summary>
    private static CallOutcome OutcomeOf(UpstreamOutcome outcome) => outcome switch
    {
        UpstreamOutcome.Answered => CallOutcome.Forwarded,
        UpstreamOutcome.ErrorAnswer => CallOutcome.UpstreamError,
        UpstreamOutcome.NotSent => CallOutcome.UpstreamUnavailable,
        UpstreamOutcome.NoAnswer => CallOutcome.UpstreamNoAnswer,
        UpstreamOutcome.Timeout => CallOutcome.UpstreamTimeout,
        UpstreamOutcome.Idle => CallOutcome.UpstreamIdle,
        UpstreamOutcome.ClientGone => CallOutcome.ClientAborted,
        _ => CallOutcome.UpstreamInvalid,
    };

    private async Task<bool> TryConsumeAsync(ApprovalRecord approved, CancellationToken cancellationToken)
    {
        try
        {
            return await approvals.ConsumeAsync(approved, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApprovalStoreFailure.Is(ex, cancellationToken))
        {
            GatewayLog.ApprovalStoreFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    private static ApprovalRequest ApprovalRequestFor(RequestScope scope, JsonRpcMessage message, PolicyDecision decision)
    {
        var arguments = message.Arguments;
        return new ApprovalRequest(
            scope.Grant.Label,
            scope.Server.Name,
            message.ToolName!,
            arguments.ValueKind == JsonValueKind.Object ? [.. arguments.EnumerateObject().Select(p => p.Name)] : [],
            message.ArgumentsSha256,
            arguments,
            scope.Grant.Policy,
            scope.PolicyVersion,
            decision.Rule,
            decision.Approval ?? ApprovalSettings.Default);
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
                ? ReservationOutcome.Empty with { StoreError = ex.GetType().Name }
                : new ReservationOutcome(ReservationStatus.StoreUnavailable, [], failClosed, StoreError: ex.GetType().Name);
        }
    }

    /// <summary>Writes the decision line; <paramref name="received"/> dates it to when the call arrived, not when it finished.</summary>
    private void Log(
        RequestScope scope, JsonRpcMessage message, PolicyDecision decision, CallOutcome outcome, int? upstreamStatus, DateTimeOffset received, long started,
        string? approvalId = null, double? upstreamLatencyMs = null, string? storeError = null, ShadowLogEntry? shadow = null)
    {
        var arguments = message.Arguments;
        var tool = message.ToolName!;
        var latency = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        var metricTool = meter.ToolDimension ? EmfWriter.ToolValue(tool, scope.Policy, catalog.Holds(scope.Server, tool)) : null;
        meter.Record(scope.Server.Name, metricTool, outcome, storeError is not null, latency, upstreamLatencyMs);
        decisionLog.Write(new DecisionLogEntry
        {
            Time = received,
            RequestId = message.IdText,
            Grant = scope.Grant.Label,
            Server = scope.Server.Name,
            Tool = tool.Length > 128 ? tool[..128] : tool,
            Decision = PolicyResultWriter.DecisionName(decision.Kind),
            Rule = decision.Rule,
            Outcome = CallOutcomes.Names.NameOf(outcome),
            Policy = scope.Grant.Policy,
            PolicyVersion = scope.PolicyVersion,
            ArgumentKeys = ArgumentKeys(arguments),
            ArgumentsSha256 = message.ArgumentsSha256,
            LatencyMs = latency,
            UpstreamStatus = upstreamStatus,
            UpstreamLatencyMs = upstreamLatencyMs,
            StoreError = storeError,
            ApprovalId = approvalId,
            MetricTool = metricTool,
            Shadow = shadow,
        });
    }

    /// <summary>Top-level argument names for the log, in document order, without a LINQ pipeline per call.</summary>
    private static string[] ArgumentKeys(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var keys = new string[arguments.GetPropertyCount()];
        var index = 0;
        foreach (var property in arguments.EnumerateObject())
        {
            keys[index++] = property.Name;
        }

        return keys;
    }

    /// <summary>
    /// Counts a permitted call against its shadow limits, in their own counters: an exceeded one becomes the
    /// verdict and counts nothing (all or nothing, like enforced limits); a store that cannot answer never
    /// touches the call, and is a verdict only for limits that would have failed closed.
    /// </summary>
    private async ValueTask<(ImmutableArray<LimitReservation> Reserved, ShadowLogEntry? Verdict)> ReserveShadowAsync(
        ImmutableArray<LimitReservation> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = await ReserveAsync(limits, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == ReservationStatus.Reserved)
        {
            return (outcome.Reserved, null);
        }

        var failed = outcome.Failed!.Value;
        var reason = outcome.Status == ReservationStatus.LimitExceeded
            ? LimitReachedReason(failed, now)
            : $"the rate-limit store is unavailable, so calls counted by \"{failed.Limit.Counter}\" would be refused (fail closed)";
        return ([], new ShadowLogEntry("deny", failed.Rule, reason));
    }

    internal static string LimitReachedReason(LimitReservation failed, DateTimeOffset now) =>
        $"rate limit \"{failed.Limit.Counter}\" reached: at most {failed.Limit.Max} per {Window(failed.Limit.WindowSeconds)}; retry after {PolicyResultWriter.RetryAfterSeconds(failed, now)} s";

    private static string Window(long seconds) => seconds switch
    {
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        _ => $"{seconds} s",
    };
}

using System.Collections.Immutable;
using System.Text.Json;
using McpGateway.Forwarding;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpGateway.Enforcement;

/// <summary>
/// Enforces the policy's <c>resources</c> and <c>prompts</c> sections (issue 16) on the requests that read what a
/// server exposes besides tools: <c>resources/read</c> and <c>resources/subscribe</c> by URI, <c>prompts/get</c> by
/// name, and <c>completion/complete</c> by the prompt or resource it completes for. Unlisted entries follow the
/// document's <c>default</c>; a hidden entry is refused exactly as one the server does not have. A 2026-07-28
/// <c>subscriptions/listen</c> request is judged by the resource URIs it subscribes to.
/// </summary>
internal sealed class EntryRequestHandler(UpstreamForwarder forwarder, ICounterStore counters, TimeProvider time, ILogger<EntryRequestHandler> logger)
{
    /// <summary>Whether <paramref name="message"/> is a request this handler judges.</summary>
    public static bool Governs(JsonRpcMessage message) =>
        message.Kind == JsonRpcMessageKind.Request &&
        message.Method is McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.PromptsGet or McpMethods.CompletionComplete or McpMethods.SubscriptionsListen;

    /// <summary>Judges and forwards one request; <c>continued</c> marks a later round of a multi-round-trip request (issue 21), whose limits the first round counted.</summary>
    public async Task HandleAsync(HttpContext context, RequestScope scope, JsonRpcMessage message, bool continued = false)
    {
        if (message.Method == McpMethods.SubscriptionsListen)
        {
            await HandleListenAsync(context, scope, message).ConfigureAwait(false);
            return;
        }

        if (Subject(message) is not { } subject)
        {
            // 2026-07-28 replaced resources/subscribe with subscriptions/listen: without a URI to judge, the request is
            // answered as that revision's servers answer a removed method, not as malformed params.
            if (message.Method == McpMethods.ResourcesSubscribe && McpHeaders.IsStateless(context.Request))
            {
                await GatewayErrorResponder.WriteAsync(context, GatewayError.RemovedMethod, null, message.Id).ConfigureAwait(false);
                return;
            }

            await GatewayErrorResponder.WriteAsync(context, GatewayError.InvalidParams, Problem(message), message.Id).ConfigureAwait(false);
            return;
        }

        var (isResource, key) = subject;
        var decision = Decide(scope, message, isResource, key);
        var hidden = decision.Kind == DecisionKind.Hide;
        if (hidden)
        {
            // Answered as a name the server does not have: by the rule or default that would judge one, and where
            // that lets it through, by the server itself, asked for a probe instead (HiddenEntryProbe).
            decision = Unknown(scope, message, isResource, key);
        }

        if (decision.Kind != DecisionKind.Allow)
        {
            await RefuseAsync(context, message, decision).ConfigureAwait(false);
            return;
        }

        var reserved = ImmutableArray<LimitReservation>.Empty;
        if (!continued && !decision.Limits.IsEmpty)
        {
            (var refusal, reserved) = await ReserveAsync(decision, context.RequestAborted).ConfigureAwait(false);
            if (refusal is not null)
            {
                await GatewayErrorResponder.WriteAsync(context, GatewayError.DeniedByPolicy, refusal, message.Id).ConfigureAwait(false);
                return;
            }
        }

        var completion = reserved.IsEmpty ? null : new ReadQuotaRefund(counters, reserved);
        string? probe = null;
        using var probed = hidden ? HiddenEntryProbe.Create(message, key, isResource, out probe) : null;
        var exchange = probed is null
            ? scope.CreateExchange(HttpMethod.Post, message)
            : scope.CreateExchange(HttpMethod.Post, probed, answer: new ProbeAnswerTransform(probe!, key, message.Method switch
            {
                McpMethods.ResourcesSubscribe => null,
                _ => isResource ? GatewayError.UnknownResource : GatewayError.UnknownPrompt,
            }));
        await forwarder.ForwardAsync(context, exchange, completion).ConfigureAwait(false);
    }

    /// <summary>
    /// A listen stream carries <c>notifications/resources/updated</c> for the URIs in
    /// <c>params.notifications.resourceSubscriptions</c>: each is judged as a <c>resources/subscribe</c> of it would be,
    /// and one refused URI refuses the stream. A subscription reads nothing, so read limits are not counted here.
    /// </summary>
    private async Task HandleListenAsync(HttpContext context, RequestScope scope, JsonRpcMessage message)
    {
        const string NotStrings = "params.notifications.resourceSubscriptions must be an array of strings";
        var parameters = message.Params;
        if (parameters.ValueKind == JsonValueKind.Object &&
            parameters.TryGetProperty("notifications"u8, out var notifications) && notifications.ValueKind == JsonValueKind.Object &&
            notifications.TryGetProperty("resourceSubscriptions"u8, out var uris))
        {
            if (uris.ValueKind != JsonValueKind.Array)
            {
                await GatewayErrorResponder.WriteAsync(context, GatewayError.InvalidParams, NotStrings, message.Id).ConfigureAwait(false);
                return;
            }

            foreach (var uri in uris.EnumerateArray())
            {
                if (uri.ValueKind != JsonValueKind.String)
                {
                    await GatewayErrorResponder.WriteAsync(context, GatewayError.InvalidParams, NotStrings, message.Id).ConfigureAwait(false);
                    return;
                }

                var decision = Decide(scope, message, isResource: true, uri.GetString()!);
                if (decision.Kind == DecisionKind.Hide)
                {
                    // A listen stream may name several URIs, so it is not probed: a hidden one refuses it as an unknown
                    // one that the policy refuses would, and as "not found" where the policy would let that through.
                    decision = Unknown(scope, message, isResource: true, uri.GetString()!);
                    if (decision.Kind == DecisionKind.Allow)
                    {
                        await GatewayErrorResponder.WriteAsync(context, GatewayError.UnknownResource, null, message.Id).ConfigureAwait(false);
                        return;
                    }
                }

                if (decision.Kind != DecisionKind.Allow)
                {
                    await RefuseAsync(context, message, decision).ConfigureAwait(false);
                    return;
                }
            }
        }

        await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Post, message)).ConfigureAwait(false);
    }

    private PolicyDecision Decide(RequestScope scope, JsonRpcMessage message, bool isResource, string key)
    {
        var call = new ToolCall(scope.Grant.Label, scope.Server.Name, key, isResource ? default : message.Arguments, scope.UpstreamSessionId);
        return scope.Policy is { } policy
            ? (isResource ? policy.Resources : policy.Prompts).Evaluate(call, time.GetUtcNow())
            : new PolicyDecision(DecisionKind.Deny, "policy", scope.PolicyFailureReason);
    }

    private static Task RefuseAsync(HttpContext context, JsonRpcMessage message, PolicyDecision decision) =>
        GatewayErrorResponder.WriteAsync(context, GatewayError.DeniedByPolicy, decision.Reason ?? "denied by policy", message.Id);

    /// <summary>What an entry the server does not have would get where a hidden one stands (a hidden entry has a policy).</summary>
    private PolicyDecision Unknown(RequestScope scope, JsonRpcMessage message, bool isResource, string key)
    {
        var call = new ToolCall(scope.Grant.Label, scope.Server.Name, key, isResource ? default : message.Arguments, scope.UpstreamSessionId);
        var policy = scope.Policy!;
        return (isResource ? policy.Resources : policy.Prompts).EvaluateAsUnknown(call, time.GetUtcNow());
    }

    /// <summary>
    /// Counts the read against its limits: the reason to refuse it, or null with what was reserved (given back if the
    /// upstream provably does not serve the read, as for a tool call).
    /// </summary>
    private async ValueTask<(string? Refusal, ImmutableArray<LimitReservation> Reserved)> ReserveAsync(PolicyDecision decision, CancellationToken cancellationToken)
    {
        ReservationOutcome outcome;
        try
        {
            outcome = await counters.ReserveAsync(decision.Limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.CounterStoreFailed(logger, decision.Limits[0].Limit.Counter, ex.GetType().Name);
            return (decision.Limits.Any(l => l.Limit.OnStoreError == StoreErrorMode.Deny)
                ? $"the rate-limit store is unavailable, so reads counted by \"{decision.Limits[0].Limit.Counter}\" are refused (fail closed)"
                : null, []);
        }

        return outcome.Status switch
        {
            ReservationStatus.Reserved => (null, outcome.Reserved),
            ReservationStatus.LimitExceeded => (ToolCallHandler.LimitReachedReason(outcome.Failed!.Value, time.GetUtcNow()), []),
            _ => ($"the rate-limit store is unavailable, so reads counted by \"{outcome.Failed!.Value.Limit.Counter}\" are refused (fail closed)", []),
        };
    }

    /// <summary>What the request reads: a resource URI (or URI template) or a prompt name; null when the params do not say.</summary>
    private static (bool IsResource, string Key)? Subject(JsonRpcMessage message)
    {
        var parameters = message.Params;
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        switch (message.Method)
        {
            case McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe:
                return String(parameters, "uri") is { } uri ? (true, uri) : null;
            case McpMethods.PromptsGet:
                return String(parameters, "name") is { } name ? (false, name) : null;
        }

        // completion/complete: {"ref": {"type": "ref/prompt", "name"} | {"type": "ref/resource", "uri"}}.
        if (!parameters.TryGetProperty("ref"u8, out var reference) || reference.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return String(reference, "type") switch
        {
            "ref/prompt" when String(reference, "name") is { } prompt => (false, prompt),
            "ref/resource" when String(reference, "uri") is { } template => (true, template),
            _ => null,
        };
    }

    private static string Problem(JsonRpcMessage message) => message.Method switch
    {
        McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe => "params.uri must be a string",
        McpMethods.PromptsGet => "params.name must be a string",
        _ => "params.ref must be {\"type\": \"ref/prompt\", \"name\"} or {\"type\": \"ref/resource\", \"uri\"}",
    };

    private static string? String(JsonElement value, string name) =>
        value.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null;
}

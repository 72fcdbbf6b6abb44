using McpGateway.Enforcement;
using McpGateway.Logging;
using McpGateway.RateLimiting;

namespace McpGateway.Tests.Cli.Diff;

/// <summary>
/// The decisions the gateway itself makes, in ToolCallHandler's order, from the real parts: the compiled policy's
/// <see cref="CompiledPolicy.Evaluate"/> with the call's real arguments, and the real in-memory counter store,
/// which reserves all or nothing and gives quota back for a call the upstream provably did not run. It writes the
/// decision line the gateway writes (a hidden tool logged as the unknown tool it pretends to be).
/// </summary>
internal sealed class GatewayOracle
{
    private readonly CompiledPolicy _policy;
    private readonly CallTime _time = new();
    private readonly InMemoryCounterStore _store;

    public GatewayOracle(CompiledPolicy policy)
    {
        _policy = policy;
        _store = new InMemoryCounterStore(_time);
    }

    /// <summary>What the gateway decides (hide named as hide) and the decision line it writes.</summary>
    public (string Decision, string Rule, DecisionLogEntry Line) Call(
        string grant, string tool, string arguments, DateTimeOffset at, bool upstreamFails)
    {
        _time.Now = at;
        using var document = JsonDocument.Parse(arguments);
        var call = new ToolCall(grant, "stripe", tool, document.RootElement);
        var decision = _policy.Evaluate(call, at);
        var logged = decision;
        var outcome = CallOutcome.Denied;
        if (decision.Kind == DecisionKind.Hide)
        {
            logged = _policy.HiddenAtCall;
        }
        else if (decision.Kind == DecisionKind.Approve)
        {
            // No approval store here: every approval stays pending, and pending calls reserve nothing.
            outcome = CallOutcome.ApprovalPending;
        }
        else if (decision.Kind == DecisionKind.Allow)
        {
            // The in-memory store answers synchronously; the property runs thousands of calls in a plain loop.
            var reservation = _store.ReserveAsync(decision.Limits, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (reservation.Status == ReservationStatus.LimitExceeded)
            {
                var failed = reservation.Failed!.Value;
                logged = decision = new PolicyDecision(DecisionKind.Deny, failed.Rule, "limit");
                outcome = CallOutcome.RateLimited;
            }
            else if (upstreamFails)
            {
                _store.RollbackAsync(reservation.Reserved, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                outcome = CallOutcome.UpstreamError;
            }
            else
            {
                outcome = CallOutcome.Forwarded;
            }
        }

        var line = new DecisionLogEntry
        {
            Time = at,
            Grant = grant,
            Server = "stripe",
            Tool = tool,
            Decision = PolicyResultWriter.DecisionName(logged.Kind),
            Rule = logged.Rule,
            Outcome = CallOutcomes.Names.NameOf(outcome),
            ArgumentKeys = [.. document.RootElement.EnumerateObject().Select(p => p.Name)],
            ArgumentsSha256 = new string('0', 64),
            LatencyMs = 1,
        };
        return (PolicyResultWriter.DecisionName(decision.Kind), decision.Rule, line);
    }

    private sealed class CallTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

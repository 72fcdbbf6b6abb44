using System.Collections.Immutable;
using McpGateway.Logging;
using McpGateway.Policy;

namespace McpGateway.Enforcement;

/// <summary>
/// What the shadowed elements of a policy would do to a call that enforcement permits (issue 17): either a
/// verdict for the decision line (they would deny, hide or ask for approval), or the shadow limits to count.
/// Shadow limits are counted only when the fully enforced policy would have let the call through, exactly as
/// an enforced limit counts only admitted calls.
/// </summary>
internal readonly record struct ShadowCheck(ShadowLogEntry? Verdict, ImmutableArray<LimitReservation> Limits)
{
    public static ShadowCheck Evaluate(CompiledPolicy? policy, in ToolCall call, DateTimeOffset now, PolicyDecision enforced)
    {
        if (policy?.Shadow is not { } full || !enforced.IsPermitted)
        {
            return new(null, []);
        }

        var would = full.Evaluate(call, now);
        if (would.Kind is DecisionKind.Deny or DecisionKind.Hide ||
            (would.Kind == DecisionKind.Approve && enforced.Kind == DecisionKind.Allow))
        {
            return new(new ShadowLogEntry(PolicyResultWriter.DecisionName(would.Kind), would.Rule, would.Reason), []);
        }

        return new(null, [.. would.Limits.Where(l => l.Limit.Mode == PolicyMode.Shadow)]);
    }
}

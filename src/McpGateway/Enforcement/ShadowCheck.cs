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
internal readonly record struct ShadowCheck(ShadowLogEntry? Verdict, ImmutableArray<LimitReservation> Limits, PolicyDecision? Would = null)
{
    /// <summary>
    /// Whether the fully enforced policy would check the call's arguments against the tool's schema where enforcement
    /// does not (a shadowed <c>validate_arguments</c>), so the check must run for the decision line.
    /// </summary>
    public bool ValidatesWhereEnforcementDoesNot(PolicyDecision enforced) =>
        Verdict is null && Would is { IsPermitted: true, ValidateArguments: not null } && enforced.IsPermitted && enforced.ValidateArguments is null;

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

        return new(null, [.. would.Limits.Where(l => l.Limit.Mode == PolicyMode.Shadow)], would);
    }
}

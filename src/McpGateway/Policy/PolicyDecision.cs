using System.Collections.Immutable;

namespace McpGateway.Policy;

/// <summary>What the gateway does with a call.</summary>
internal enum DecisionKind
{
    Allow,
    Deny,
    Hide,
    Approve,
}

/// <summary>
/// The outcome of evaluating one call: the action, the rule that decided (a path into the policy such as
/// <c>tools.create_charge.require[0]</c>), the reason the agent reads, and the limits the caller must
/// reserve before forwarding. Decisions without limits are built once per policy and shared.
/// </summary>
internal sealed class PolicyDecision
{
    public PolicyDecision(DecisionKind kind, string rule, string? reason, ImmutableArray<LimitReservation> limits = default, ApprovalSettings? approval = null, string? validateArguments = null)
    {
        Kind = kind;
        Rule = rule;
        Reason = reason;
        Limits = limits.IsDefault ? [] : limits;
        Approval = approval;
        ValidateArguments = validateArguments;
    }

    public DecisionKind Kind { get; }

    /// <summary>Path of the rule, condition or limit that decided, or <c>default</c>/<c>tool_name</c>.</summary>
    public string Rule { get; }

    /// <summary>Text for the agent when the call is not simply allowed.</summary>
    public string? Reason { get; }

    /// <summary>Counters to reserve, in a fixed (ordinal key) order; empty when none apply.</summary>
    public ImmutableArray<LimitReservation> Limits { get; }

    /// <summary>Approval settings when <see cref="Kind"/> is <see cref="DecisionKind.Approve"/>.</summary>
    public ApprovalSettings? Approval { get; }

    /// <summary>
    /// The policy path of the <c>validate_arguments</c> that applies to this permitted call (the rule's or
    /// <c>all_tools</c>'), or null when its arguments need no schema check (issue 15).
    /// </summary>
    public string? ValidateArguments { get; }

    public bool IsPermitted => Kind is DecisionKind.Allow or DecisionKind.Approve;

    public PolicyDecision WithLimits(ImmutableArray<LimitReservation> limits) => new(Kind, Rule, Reason, limits, Approval, ValidateArguments);

    public override string ToString() => $"{Kind} by {Rule}" + (Reason is null ? "" : $": {Reason}");
}

/// <summary>
/// One counter reservation: add <see cref="Increment"/> to the counter <see cref="Key"/> unless that would
/// exceed <see cref="PolicyLimit.Max"/> within the window [<see cref="WindowStart"/>, <see cref="WindowEnd"/>).
/// </summary>
internal readonly record struct LimitReservation(
    string Key,
    string Rule,
    PolicyLimit Limit,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Increment);

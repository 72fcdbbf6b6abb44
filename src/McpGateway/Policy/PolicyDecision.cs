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
/// A policy limit's counter not yet created in its window starts from the use of <see cref="SeedKey"/>.
/// </summary>
internal readonly record struct LimitReservation(
    string Key,
    string Rule,
    PolicyLimit Limit,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Increment,
    bool IsPolicyLimit = false)
{
    /// <summary>What a shadowed limit's key puts before its scope (<c>server/shadow.grant:agent/...</c>).</summary>
    public const string ShadowScopePrefix = "shadow.";

    /// <summary>
    /// The same limit's counter in its other mode (shadow or enforced), for a policy limit; otherwise null. A counter
    /// first created in a window starts from that one's use, so switching a limit's mode within a window carries
    /// over the use it has seen there instead of starting from zero (issue 17). Derived from <see cref="Key"/>
    /// (server names hold no <c>/</c>) only when a store creates a counter, so calls do not pay for it.
    /// </summary>
    public string? SeedKey
    {
        get
        {
            if (!IsPolicyLimit)
            {
                return null;
            }

            var scope = Key.IndexOf('/', StringComparison.Ordinal) + 1;
            return Key.AsSpan(scope).StartsWith(ShadowScopePrefix, StringComparison.Ordinal)
                ? string.Concat(Key.AsSpan(0, scope), Key.AsSpan(scope + ShadowScopePrefix.Length))
                : Key.Insert(scope, ShadowScopePrefix);
        }
    }
}

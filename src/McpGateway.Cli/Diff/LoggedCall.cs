using System.Collections.Immutable;

namespace McpGateway.Cli.Diff;

/// <summary>
/// One <c>tools/call</c> as a decision line records it: who called what, when, with which argument names (never
/// their values), and what the gateway decided and did. <see cref="Sequence"/> keeps the reading order among calls
/// logged in the same instant.
/// </summary>
internal sealed record LoggedCall(
    DateTimeOffset Time,
    string Grant,
    string Server,
    string Tool,
    ImmutableArray<string> ArgumentKeys,
    string Decision,
    string Rule,
    string Outcome,
    string? ApprovalId,
    int Sequence)
{
    /// <summary>The upstream provably did not run the call, so the gateway gave its quota back (docs/upstream-failures.md).</summary>
    public bool QuotaGivenBack => Outcome is "upstream_error" or "upstream_unavailable";

    /// <summary>A human approved the call and it went on (an approval that was pending, rejected or used elsewhere did not).</summary>
    public bool RanUnderApproval =>
        ApprovalId is not null &&
        Outcome is not ("approval_pending" or "approval_rejected" or "approval_used" or "approval_store_unavailable" or "denied");

    /// <summary>The decision came from a store outage, not from the policy, so it says nothing about the policy.</summary>
    public bool DecidedByOutage => Outcome is "store_unavailable" or "approval_store_unavailable";
}

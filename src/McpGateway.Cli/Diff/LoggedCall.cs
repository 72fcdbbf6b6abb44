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
    CallOutcome Outcome,
    string? ApprovalId,
    int Sequence)
{
    /// <summary>The upstream provably did not run the call, so the gateway gave its quota back (docs/upstream-failures.md).</summary>
    public bool QuotaGivenBack => Outcome is CallOutcome.UpstreamError or CallOutcome.UpstreamUnavailable;

    /// <summary>A human approved the call (an approval that was pending, rejected or used by another call was not this call's).</summary>
    public bool ApprovedByHuman =>
        ApprovalId is not null &&
        Outcome is not (CallOutcome.ApprovalPending or CallOutcome.ApprovalRejected or CallOutcome.ApprovalUsed or CallOutcome.ApprovalStoreUnavailable or CallOutcome.Denied);

    /// <summary>
    /// Refused after the policy permitted it, by the server's tool pins (<c>tool_drift</c>) or because the tool
    /// definitions it must be checked against could not be read (<c>tools_unavailable</c>): before any approval was
    /// asked for or any limit counted (docs/tool-pinning.md), so it used no counter.
    /// </summary>
    public bool RefusedByToolDefinitions => Outcome is CallOutcome.ToolDrift or CallOutcome.ToolsUnavailable;

    /// <summary>The call used its limits' counters: the gateway reserved them and kept the reservation.</summary>
    public bool CountedAgainstLimits => !QuotaGivenBack && !RefusedByToolDefinitions;

    /// <summary>
    /// The logged decision came from a store outage or from the server's tool definitions, not from the policy, so
    /// it says nothing about the policy the log was written under.
    /// </summary>
    public bool DecidedOutsideThePolicy => Outcome is CallOutcome.StoreUnavailable or CallOutcome.ApprovalStoreUnavailable || RefusedByToolDefinitions;
}

using System.Collections.Immutable;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Policy;

namespace McpGateway.Enforcement;

/// <summary>
/// A <c>tools/call</c> on its way upstream: the exchange, and what <see cref="ToolCallHandler"/> needs to finish
/// the call (give back its quota if the upstream failed it, write its one decision line) the moment the answer
/// arrives, before the client sees it.
/// </summary>
internal sealed class ToolCallExchange : UpstreamExchange
{
    public required ToolCallHandler Handler { get; init; }
    public required RequestScope Scope { get; init; }
    public required PolicyDecision Decision { get; init; }

    /// <summary>Limits reserved for this call, given back if the upstream fails it.</summary>
    public required ImmutableArray<LimitReservation> Reserved { get; init; }

    /// <summary>When the call arrived, for the decision line.</summary>
    public required DateTimeOffset Received { get; init; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the call's arrival, for its latency.</summary>
    public required long Started { get; init; }

    public string? ApprovalId { get; init; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of sending the call upstream, for the upstream latency.</summary>
    public long Forwarded { get; init; }

    /// <summary>A store error of a limit skipped under <c>on_store_error: allow</c>, for the decision line.</summary>
    public string? StoreError { get; init; }

    /// <summary>What a shadowed rule would have done, for the decision line (issue 17).</summary>
    public ShadowLogEntry? Shadow { get; init; }

    /// <summary>True once the call's decision line is written: exactly one per call.</summary>
    public bool Finished { get; set; }

    /// <summary>
    /// The decision line's arguments hash, while the upstream works on the call: SHA-256 of 16 KB of canonical
    /// arguments is about 14 microseconds that would otherwise come after the answer (issue 8).
    /// </summary>
    public override void WhileUpstreamWorks() => _ = Message!.ArgumentsSha256;

    public override ValueTask OnAnswerAsync(ForwardResult outcome) => Handler.FinishAsync(this, outcome);
}

using System.Collections.Immutable;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Policy;
using McpGateway.Protocol;

namespace McpGateway.Enforcement;

/// <summary>
/// What <see cref="ToolCallHandler"/> needs to finish a <c>tools/call</c> on its way upstream (give back its quota
/// if the upstream failed it, write its one decision line); the forwarder calls it once, before the client sees the end.
/// </summary>
internal sealed class ToolCallExchange : IForwardCompletion
{
    public required ToolCallHandler Handler { get; init; }
    public required RequestScope Scope { get; init; }
    public required JsonRpcMessage Message { get; init; }
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

    /// <summary>
    /// The decision line's arguments hash, while the upstream works on the call: hashing large arguments would
    /// otherwise come after the answer (issue 8).
    /// </summary>
    public void WhileUpstreamWorks() => _ = Message.ArgumentsSha256;

    public ValueTask OnCompletedAsync(ForwardResult result) => Handler.FinishAsync(this, result);
}

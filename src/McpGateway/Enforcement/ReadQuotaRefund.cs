using System.Collections.Immutable;
using McpGateway.Forwarding;
using McpGateway.Policy;
using McpGateway.RateLimiting;

namespace McpGateway.Enforcement;

/// <summary>
/// A limited resource or prompt read on its way upstream: its quota goes back, as a tool call's does, when the
/// upstream provably did not serve it (it was never sent, or the upstream answered with a JSON-RPC error), before the
/// client sees the end. A read that may have been served keeps its count.
/// </summary>
internal sealed class ReadQuotaRefund(ICounterStore counters, ImmutableArray<LimitReservation> reserved) : IForwardCompletion
{
    public void WhileUpstreamWorks()
    {
    }

    public async ValueTask OnCompletedAsync(ForwardResult result)
    {
        if (result.ProvablyNotRun && !reserved.IsEmpty)
        {
            // A token of its own: the client cannot stop the give-back by hanging up.
            await counters.RollbackAsync(reserved, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

namespace McpGateway.Forwarding;

/// <summary>
/// A caller's own work on a forwarded request (a tools/call's quota and decision line), kept apart from the
/// request data in <see cref="UpstreamExchange"/>. The forwarder calls <see cref="OnCompletedAsync"/> exactly
/// once on every path (an answer, an error the gateway writes, a stream's end, a client that hung up), always
/// before the response can complete: on Lambda the invocation is over once it is, and the environment may be
/// frozen before a later line is written.
/// </summary>
internal interface IForwardCompletion
{
    /// <summary>
    /// Work to overlap with the upstream's, run once the request is sent and before the answer is awaited. It
    /// must not throw, and runs on the forwarding flow, never concurrently with the relay of the answer.
    /// </summary>
    void WhileUpstreamWorks();

    /// <summary>What the exchange came to, before the client receives a JSON answer or the error the gateway writes,
    /// and before an SSE stream ends. It must not throw.</summary>
    ValueTask OnCompletedAsync(ForwardResult result);
}

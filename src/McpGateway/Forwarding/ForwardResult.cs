namespace McpGateway.Forwarding;

/// <summary>What happened to a forwarded request, for counters and the decision log.</summary>
/// <param name="UpstreamStatus">The upstream's HTTP status, or null when no response arrived.</param>
/// <param name="Outcome">What the gateway can prove about the upstream's handling of the request.</param>
/// <param name="Error">The gateway error written to the client, if any.</param>
internal readonly record struct ForwardResult(int? UpstreamStatus, UpstreamOutcome Outcome, GatewayError Error)
{
    /// <summary>True when the upstream answered the request with a JSON-RPC result (not an error).</summary>
    public bool Completed => Outcome == UpstreamOutcome.Answered;

    /// <summary>
    /// False when the request never reached a server: it could not be signed, or no connection could be made. The
    /// time until then measures the gateway (an STS call and its retries, a connect attempt), not the upstream, so
    /// the call has no upstream latency. A refusal of the gateway's credentials (401, 403, 407) is also
    /// <see cref="UpstreamOutcome.NotSent"/>, but it came back from the server, with a status.
    /// </summary>
    public bool ReachedUpstream => Outcome != UpstreamOutcome.NotSent || UpstreamStatus is not null;

    /// <summary>True only when the upstream provably did not run the call, so its quota may be given back.</summary>
    public bool ProvablyNotRun => Outcome is UpstreamOutcome.ErrorAnswer or UpstreamOutcome.NotSent;
}

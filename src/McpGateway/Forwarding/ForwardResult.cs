namespace McpGateway.Forwarding;

/// <summary>What happened to a forwarded request, for counters and the decision log.</summary>
/// <param name="UpstreamStatus">The upstream's HTTP status, or null when no response arrived.</param>
/// <param name="Completed">True when the upstream answered the request with a JSON-RPC result (not an error).</param>
/// <param name="Error">The gateway error written to the client, if any.</param>
internal readonly record struct ForwardResult(int? UpstreamStatus, bool Completed, GatewayError Error);

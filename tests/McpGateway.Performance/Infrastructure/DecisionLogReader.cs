namespace McpGateway.Performance.Infrastructure;

/// <summary>How the harness reads the gateways' decision log, the standard output a log collector reads on Lambda.</summary>
internal enum DecisionLogReader
{
    /// <summary>The gateways write no decision log (for comparison only).</summary>
    Off,

    /// <summary>
    /// Collects whatever has accumulated in the pipe, then waits a millisecond, as a log shipper that batches
    /// does; a line then costs the gateway its <c>write</c> and nothing more. The default.
    /// </summary>
    Batched,

    /// <summary>
    /// Blocks in <c>read</c>, so every line wakes the reader: on two cores shared by the client, the upstream
    /// and the proxies, that wake-up costs more than the line (see docs/performance.md, "Gateway overhead").
    /// </summary>
    Eager,
}

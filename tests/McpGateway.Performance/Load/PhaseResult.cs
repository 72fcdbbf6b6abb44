namespace McpGateway.Performance.Load;

/// <summary>
/// What one measured phase of one path produced. <see cref="AllocatedBytes"/> and <see cref="CpuSeconds"/>
/// are the whole harness process's (client, proxy and upstream together): a path's own share is the
/// difference from the direct path, which has the same client and upstream and no proxy.
/// </summary>
internal sealed record PhaseResult(
    long[] Latencies,
    long Errors,
    string? FirstError,
    double Seconds,
    long AllocatedBytes,
    double CpuSeconds,
    double ExternalCpuSeconds)
{
    public long Requests => Latencies.Length;
}

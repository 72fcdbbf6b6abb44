using System.Diagnostics;
using McpGateway.Performance.Fixtures;
using McpGateway.Performance.Infrastructure;

namespace McpGateway.Performance.Load;

/// <summary>
/// A closed-loop load phase: N workers each send a call, wait for the whole answer, and send the next,
/// until the phase's time is up or its request budget is spent. Buffers are allocated once, before any
/// phase, so the allocation counter measures the requests and nothing of the harness's bookkeeping.
/// </summary>
internal sealed class LoadPhase
{
    /// <summary>Requests one phase may send at most, whatever its duration (the run is bounded in count and time).</summary>
    public const int MaxRequestsPerPhase = 200_000;

    /// <summary>No single call may take longer than this; past it the call counts as an error.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly ToolCallClient _client;
    private readonly long[] _latencies = new long[MaxRequestsPerPhase];
    private readonly byte[][] _buffers;

    public LoadPhase(ToolCallClient client, int maxConcurrency)
    {
        _client = client;
        _buffers = [.. Enumerable.Range(0, maxConcurrency).Select(_ => new byte[64 * 1024])];
    }

    /// <summary>Gateway calls answered so far (each must leave one decision log line).</summary>
    public long GatewayCalls { get; private set; }

    public async Task<PhaseResult> RunAsync(Target target, ResponseMode mode, ToolCallPayload payload, string token, int concurrency, TimeSpan duration, int maxRequests = MaxRequestsPerPhase)
    {
        var url = target.Url(mode);
        var next = -1;
        var errors = 0L;
        string? firstError = null;
        using var hardStop = new CancellationTokenSource(duration + CallTimeout);

        var externalBefore = target.ExternalProcessId is { } pid ? ProcessStats.CpuSeconds(pid) : 0;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var buffer = _buffers[w];
            workers[w] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= maxRequests)
                    {
                        return;
                    }

                    var sent = Stopwatch.GetTimestamp();
                    string? problem;
                    try
                    {
                        problem = await _client.CallAsync(url, mode, payload, token, buffer, hardStop.Token);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                    {
                        problem = ex.GetType().Name + ": " + ex.Message;
                    }

                    _latencies[i] = Stopwatch.GetTimestamp() - sent;
                    if (problem is not null)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, problem, null);
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        var external = target.ExternalProcessId is { } id ? ProcessStats.CpuSeconds(id) - externalBefore : 0;

        var count = (int)Math.Min(next + 1L, maxRequests);
        if (target.IsGateway)
        {
            GatewayCalls += count;
        }

        return new PhaseResult(_latencies.AsSpan(0, count).ToArray(), errors, firstError, seconds, allocated, cpu, external);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace McpGateway.Metrics;

/// <summary>
/// The gateway's instruments (System.Diagnostics.Metrics), read by the OpenTelemetry Prometheus exporter when
/// <c>Gateway:Metrics:Prometheus</c> is on. Without a listener an instrument is disabled and recording is one
/// check, so the call path pays nothing when the exporter is off.
/// </summary>
internal sealed class GatewayMeter : IDisposable
{
    public const string MeterName = "McpGateway";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _calls;
    private readonly Counter<long> _storeErrors;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _upstreamLatency;

    public GatewayMeter(IOptions<MetricsOptions> options)
    {
        ToolDimension = options.Value.ToolDimension;
        _calls = _meter.CreateCounter<long>("mcpgw.tool_calls", "{call}", "tools/call requests by server and outcome (forwarded, denied, rate_limited, ...)");
        _storeErrors = _meter.CreateCounter<long>("mcpgw.store_errors", "{call}", "tools/call requests the counter or approval store failed");
        _latency = _meter.CreateHistogram<double>("mcpgw.tool_call.duration", "ms", "Time from a tools/call's arrival to its decision line");
        _upstreamLatency = _meter.CreateHistogram<double>("mcpgw.upstream.duration", "ms", "Time from sending a tools/call upstream to its answer");
    }

    /// <summary>Whether metrics carry the bounded tool name (<c>Gateway:Metrics:ToolDimension</c>).</summary>
    public bool ToolDimension { get; }

    public void Record(string server, string? tool, CallOutcome outcome, bool storeError, double latencyMs, double? upstreamLatencyMs)
    {
        if (!_calls.Enabled)
        {
            return;
        }

        var serverTag = new KeyValuePair<string, object?>("server", server);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", CallOutcomes.Names.NameOf(outcome));
        var toolTag = new KeyValuePair<string, object?>("tool", tool ?? EmfWriter.OtherTool);
        if (ToolDimension)
        {
            _calls.Add(1, serverTag, toolTag, outcomeTag);
            _latency.Record(latencyMs, serverTag, toolTag);
            if (upstreamLatencyMs is { } upstream)
            {
                _upstreamLatency.Record(upstream, serverTag, toolTag);
            }
        }
        else
        {
            _calls.Add(1, serverTag, outcomeTag);
            _latency.Record(latencyMs, serverTag);
            if (upstreamLatencyMs is { } upstream)
            {
                _upstreamLatency.Record(upstream, serverTag);
            }
        }

        if (storeError)
        {
            _storeErrors.Add(1, serverTag);
        }
    }

    public void Dispose() => _meter.Dispose();
}

namespace McpGateway.Metrics;

/// <summary>Settings under <c>Gateway:Metrics:</c> (environment: <c>Gateway__Metrics__...</c>). Every one is off by default.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Gateway:Metrics";

    /// <summary>
    /// Makes each decision line a CloudWatch Embedded Metric Format document, so CloudWatch Logs extracts the
    /// gateway's metrics from the log Lambda already ships: no agent, no extra API call (the template sets it).
    /// Needs the decision log on standard output.
    /// </summary>
    public bool Emf { get; set; }

    /// <summary>
    /// Adds the <c>Server</c>+<c>Tool</c> dimension set beside <c>Server</c>. Each combination of dimension values is
    /// a custom metric billed by the month, so it is off by default and the tool's value is bounded (see docs/metrics.md).
    /// </summary>
    public bool ToolDimension { get; set; }

    /// <summary>Serves <c>GET /metrics</c> in Prometheus text format, to admin credentials only.</summary>
    public bool Prometheus { get; set; }
}

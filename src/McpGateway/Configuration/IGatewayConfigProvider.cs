namespace McpGateway.Configuration;

/// <summary>
/// The seam between where configuration lives (a local file, SSM Parameter Store) and the request path,
/// which only ever reads the current immutable snapshot and never waits on the source.
/// </summary>
internal interface IGatewayConfigProvider
{
    GatewaySnapshot Current { get; }
}

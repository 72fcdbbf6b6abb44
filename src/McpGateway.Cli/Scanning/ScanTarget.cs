using McpGateway.Catalog;
using McpGateway.Configuration;

namespace McpGateway.Cli.Scanning;

/// <summary>
/// The upstream to read: a server entry (from the command line or from the configuration), with the headers
/// and auth every request carries. Header values are credentials as often as not and are never printed.
/// </summary>
internal sealed record ScanTarget(ServerConfig Server, TimeSpan Timeout)
{
    public Uri Url => Server.Url;

    /// <summary>The URL as printed: without its query, which may hold a key.</summary>
    public string DisplayUrl => UpstreamToolLister.DisplayUrl(Server.Url);
}

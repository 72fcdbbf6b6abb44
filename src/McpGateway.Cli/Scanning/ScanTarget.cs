namespace McpGateway.Cli.Scanning;

/// <summary>
/// The upstream to scan: its URL and the headers every request carries (from the command line or from the
/// configured server entry). Header values are credentials as often as not and are never printed.
/// </summary>
internal sealed record ScanTarget(Uri Url, IReadOnlyDictionary<string, string> Headers, TimeSpan Timeout)
{
    /// <summary>The URL as printed: without its query, which may hold a key.</summary>
    public string DisplayUrl => Url.GetLeftPart(UriPartial.Path) + (Url.Query.Length > 0 ? " (query not shown)" : "");
}

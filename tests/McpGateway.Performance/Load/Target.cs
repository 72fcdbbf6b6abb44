using McpGateway.Performance.Fixtures;

namespace McpGateway.Performance.Load;

/// <summary>
/// One way to reach the upstream: direct, through a pass-through proxy, or through a gateway.
/// <paramref name="ExternalProcessId"/> names a helper process whose CPU the path also spends (dynalite for (d)).
/// </summary>
internal sealed record Target(string Key, string Label, Func<ResponseMode, Uri> Url, bool IsGateway, int? ExternalProcessId = null);

using System.Collections.Concurrent;

namespace McpGateway.Performance.Servers;

/// <summary>Errors the pass-through proxies met while forwarding; a run with any is reported as failed.</summary>
internal static class PassThroughErrors
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static void Record(string proxy, string error) => Counts.AddOrUpdate($"{proxy}: {error}", 1, (_, n) => n + 1);

    public static IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(Counts, StringComparer.Ordinal);
}

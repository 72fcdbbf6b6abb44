using System.Collections.Concurrent;
using McpGateway.Logging;

namespace McpGateway.Catalog;

/// <summary>
/// Writes one <c>tool_drift</c> line per server, tool and seen definition per instance (issue 15): a drifted
/// tool appears in every list the gateway relays and every read of the server's tools, and an audit trail that
/// repeats it on each would bury the one line that matters.
/// </summary>
internal sealed class ToolDriftAudit(IDecisionLog log, TimeProvider time)
{
    /// <summary>Bounds memory against a server that changes a definition on every list.</summary>
    public const int MaxRemembered = 4096;

    private readonly ConcurrentDictionary<(string Server, string Tool, string Seen), byte> _reported = new();

    public void Report(string server, string tool, string? pinned, string? seen)
    {
        if (_reported.Count >= MaxRemembered)
        {
            _reported.Clear();
        }

        if (_reported.TryAdd((server, tool, seen ?? "absent"), 0))
        {
            log.Write(new ToolDriftLogEntry { Time = time.GetUtcNow(), Server = server, Tool = tool.Length > 128 ? tool[..128] : tool, Pinned = pinned, Seen = seen });
        }
    }
}

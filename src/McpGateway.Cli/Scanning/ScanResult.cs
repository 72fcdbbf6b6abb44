using McpGateway.Tools;
using ModelContextProtocol.Protocol;

namespace McpGateway.Cli.Scanning;

/// <summary>
/// What one scan found: the server as it introduced itself, each listed tool and its classification (a repeated
/// name once per listing), and the names listed more than once, each once.
/// </summary>
internal sealed record ScanResult(
    string ServerName,
    string? ServerVersion,
    string ProtocolVersion,
    int Pages,
    IReadOnlyList<ScannedTool> Tools,
    IReadOnlyList<string> Duplicates);

/// <summary>One listed tool: the upstream's own definition and the classifier's verdict on it.</summary>
internal sealed record ScannedTool(Tool Tool, ToolClassification Classification);

using Microsoft.Extensions.Logging;

namespace McpGateway.Catalog;

/// <summary>Log messages of the gateway's reading of server tool lists (event ids 1720-1739). Never a header value.</summary>
internal static partial class CatalogLog
{
    [LoggerMessage(1720, LogLevel.Warning, "The tools of server {Server} could not be read; calls that must be checked against their definitions are denied: {Problem}")]
    public static partial void ToolsNotRead(ILogger logger, string server, string problem);
}

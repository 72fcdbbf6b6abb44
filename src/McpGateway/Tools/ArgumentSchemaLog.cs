using Microsoft.Extensions.Logging;

namespace McpGateway.Tools;

/// <summary>Log messages of argument validation (event ids 1700-1719). Never an argument value.</summary>
internal static partial class ArgumentSchemaLog
{
    [LoggerMessage(1700, LogLevel.Error, "The inputSchema of tool {Tool} on server {Server} (sha256 {SchemaHash}) cannot be compiled; calls to it that need validation are denied: {Problem}")]
    public static partial void SchemaNotCompiled(ILogger logger, string server, string tool, string schemaHash, string problem);
}

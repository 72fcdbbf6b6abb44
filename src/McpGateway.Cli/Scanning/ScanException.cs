namespace McpGateway.Cli.Scanning;

/// <summary>The scan could not list the upstream's tools; the message is one line an operator can act on.</summary>
internal sealed class ScanException(string message) : Exception(message);

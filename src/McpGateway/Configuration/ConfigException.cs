namespace McpGateway.Configuration;

/// <summary>A configuration entry is invalid; the message names the entry and says what to fix.</summary>
internal sealed class ConfigException(string message) : Exception(message);

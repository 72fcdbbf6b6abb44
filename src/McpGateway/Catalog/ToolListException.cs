namespace McpGateway.Catalog;

/// <summary>A server's tools could not be read; the message is one line an operator can act on, without header values.</summary>
internal sealed class ToolListException(string message, Exception? inner = null) : Exception(message, inner);

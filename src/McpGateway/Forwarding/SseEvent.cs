namespace McpGateway.Forwarding;

/// <summary>
/// One server-sent event. <see cref="Data"/> holds the data lines joined by newlines; an event with no
/// data (MCP's "priming" event that only carries an id) is relayed for its id alone.
/// </summary>
internal sealed record SseEvent(string? EventType, string? Id, int? Retry, ReadOnlyMemory<byte> Data, bool HasData);

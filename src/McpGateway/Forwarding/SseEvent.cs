namespace McpGateway.Forwarding;

/// <summary>
/// One server-sent event. <see cref="Data"/> holds the data lines joined by newlines; an event with no
/// data (MCP's "priming" event that only carries an id) is relayed for its id alone. <see cref="Data"/> is the
/// reader's own buffer: it is valid until the reader reads the next event or is disposed.
/// </summary>
internal readonly record struct SseEvent(string? EventType, string? Id, int? Retry, ReadOnlyMemory<byte> Data, bool HasData);

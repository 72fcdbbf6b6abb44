using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>
/// A rewrite of messages the upstream sends back, applied by the forwarder to every message it relays (the JSON
/// answer and each SSE event), so a filter holds wherever its kind of result appears. The forwarder still parses
/// and re-writes every message; a transform decides only what the rewritten message holds.
/// </summary>
internal interface IMessageTransform
{
    /// <summary>True when <paramref name="message"/> (the request's own answer when <paramref name="isAnswer"/>) is to be rewritten.</summary>
    bool Applies(JsonElement message, bool isAnswer);

    void Write(Utf8JsonWriter writer, JsonElement message);
}

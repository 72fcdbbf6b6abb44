using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>
/// Re-writes a request's own answer with something the gateway seals into it (the requestState of an
/// <c>input_required</c> result, issue 21). One instance serves every exchange; what it binds comes from the exchange.
/// </summary>
internal interface IAnswerSealer
{
    /// <summary>True when <paramref name="answer"/> is one this sealer re-writes.</summary>
    bool Seals(JsonElement answer);

    void Write(Utf8JsonWriter writer, JsonElement answer, UpstreamExchange exchange);
}

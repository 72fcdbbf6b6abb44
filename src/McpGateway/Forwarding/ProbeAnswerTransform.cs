using System.Text.Json;
using McpGateway.Protocol;

namespace McpGateway.Forwarding;

/// <summary>
/// Writes the answer to a hidden entry's probe (see <c>HiddenEntryProbe</c>). An error, the server's own "no such
/// entry", goes back with the hidden name where the server wrote the probe's, so the agent reads what it reads for
/// any unknown name. A read's result means the server serves such a name at that place (a template's generated
/// resource): passed on with the hidden name, its content would be what the server generates for the hidden entry
/// itself, so the gateway answers <paramref name="unknown"/> instead. A subscription's result carries no content and
/// goes back as the server wrote it (<paramref name="unknown"/> null).
/// </summary>
internal sealed class ProbeAnswerTransform(string probe, string original, GatewayError? unknown) : IMessageTransform
{
    // A server may name only the random part (a template's variable); that part goes back as the hidden one's.
    private readonly string _random = probe[SharedPrefix(probe, original)..];
    private readonly string _hiddenPart = original[SharedPrefix(probe, original)..];

    public bool Applies(JsonElement message, bool isAnswer) => isAnswer;

    public void Write(Utf8JsonWriter writer, JsonElement message)
    {
        if (unknown is { } refusal && (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("error"u8, out _)))
        {
            var (_, code, text) = GatewayErrorResponder.Describe(refusal);
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id"u8, out var id))
            {
                writer.WritePropertyName("id"u8);
                id.WriteTo(writer);
            }

            writer.WritePropertyName("error"u8);
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, code);
            writer.WriteString("message"u8, text);
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        JsonStringRewriter.Write(writer, message, Restore);
    }

    private string Restore(string text) => text.Contains(_random, StringComparison.Ordinal)
        ? text.Replace(probe, original, StringComparison.Ordinal).Replace(_random, _hiddenPart, StringComparison.Ordinal)
        : text;

    private static int SharedPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b);
}

using System.Buffers;
using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>
/// A request as the upstream must see it when the gateway has swapped one of its params for the upstream's own
/// value (a sealed task id, a sealed requestState): the message is re-written with that member replaced or removed,
/// and parsed again, so what is forwarded is still a message the gateway parsed.
/// </summary>
internal static class ParamsRewriter
{
    /// <summary>The message with <c>params.<paramref name="name"/></c> set to <paramref name="value"/>, or removed when it is null.</summary>
    public static JsonRpcMessage? WithParam(JsonRpcMessage message, ReadOnlySpan<byte> name, string? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in message.Root.EnumerateObject())
            {
                if (!property.NameEquals("params"u8))
                {
                    property.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(property.Name);
                writer.WriteStartObject();
                foreach (var member in property.Value.EnumerateObject())
                {
                    if (!member.NameEquals(name))
                    {
                        member.WriteTo(writer);
                    }
                    else if (value is not null)
                    {
                        writer.WriteString(member.Name, value);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return JsonRpcParser.TryParse(buffer.WrittenMemory.ToArray(), out var rewritten, out _) == GatewayError.None ? rewritten : null;
    }
}

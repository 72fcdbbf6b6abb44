using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>Copies a JSON value with every string value passed through a function (names and other values as they are).</summary>
internal static class JsonStringRewriter
{
    public static void Write(Utf8JsonWriter writer, JsonElement element, Func<string, string> rewrite)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, rewrite);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, rewrite);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(rewrite(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

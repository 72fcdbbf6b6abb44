using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>Writes the envelope of the JSON-RPC responses the gateway answers itself.</summary>
internal static class JsonRpcWriter
{
    /// <summary>Opens <c>{"jsonrpc":"2.0","id":...</c>; an id that is not a string or number is written as null (JSON-RPC 2.0, section 5).</summary>
    public static void WriteStart(Utf8JsonWriter writer, JsonElement id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0");
        writer.WritePropertyName("id"u8);
        if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            id.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

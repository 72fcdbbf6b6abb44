using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>
/// A canonical form of JSON values (object members sorted by ordinal name, no whitespace, numbers as
/// written), so that the same arguments always hash the same. The decision log records the hash instead
/// of argument values; approvals (issue 7) bind to it.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>Lowercase hex SHA-256 of the canonical form; arguments that are absent hash as <c>{}</c>.</summary>
    public static string Sha256Hex(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Buffers;

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
        // Once per tools/call (the decision log), so the scratch bytes are pooled (issue 8).
        using var buffer = new PooledBufferWriter(1024);
        var writer = JsonWriterCache.Rent(buffer, skipValidation: true);
        try
        {
            Write(writer, value);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Members in ordinal order of their names, each name decoded once. Ties (impossible in messages the
    /// gateway parsed, which refuses duplicate keys) keep document order, as the stable sort used before did.
    /// </summary>
    private static void WriteSortedObject(Utf8JsonWriter writer, JsonElement value)
    {
        var count = value.GetPropertyCount();
        var members = ArrayPool<(string Name, int Index, JsonElement Value)>.Shared.Rent(count);
        try
        {
            var index = 0;
            foreach (var property in value.EnumerateObject())
            {
                members[index] = (property.Name, index, property.Value);
                index++;
            }

            var sorted = members.AsSpan(0, count);
            sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var order && order != 0 ? order : a.Index.CompareTo(b.Index));
            writer.WriteStartObject();
            foreach (var (name, _, member) in sorted)
            {
                writer.WritePropertyName(name);
                Write(writer, member);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<(string Name, int Index, JsonElement Value)>.Shared.Return(members, clearArray: true);
        }
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
                WriteSortedObject(writer, value);
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

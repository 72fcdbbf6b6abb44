using System.Text.Json;
using McpGateway.Protocol;

namespace McpGateway.Tools;

/// <summary>
/// The hash a tool pin holds (issue 15): SHA-256 of the canonical JSON of the members of a tool definition that
/// an agent reads or an upstream acts on (name, title, description, inputSchema, outputSchema, annotations).
/// Other members (<c>_meta</c>, <c>icons</c>, ones a later revision adds) do not count, so a server's cosmetic
/// change does not look like a rug pull; member order and whitespace never count.
/// </summary>
internal static class ToolFingerprint
{
    public const string Prefix = "sha256:";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static readonly string[] Members = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"];

    /// <summary><c>sha256:&lt;64 lowercase hex&gt;</c> of <paramref name="tool"/>, a <c>tools/list</c> entry.</summary>
    public static string Of(JsonElement tool)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (tool.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in Members)
                {
                    if (tool.TryGetProperty(member, out var value))
                    {
                        writer.WritePropertyName(member);
                        value.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndObject();
        }

        using var selected = JsonDocument.Parse(buffer.WrittenMemory);
        return Prefix + CanonicalJson.Sha256Hex(selected.RootElement);
    }

    /// <summary>True when <paramref name="pin"/> is <c>sha256:</c> and 64 lowercase hex digits.</summary>
    public static bool IsWellFormed(string pin) =>
        pin.Length == Prefix.Length + 64 &&
        pin.StartsWith(Prefix, StringComparison.Ordinal) &&
        pin.AsSpan(Prefix.Length).IndexOfAnyExcept(LowerHex) < 0;
}

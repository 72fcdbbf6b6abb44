using System.Text.Json;
using McpGateway.Policy;

namespace McpGateway.Forwarding;

/// <summary>
/// Rewrites a <c>tools/list</c> response without the tools the policy hides or does not list (issue 2):
/// the agent never learns that a hidden tool exists. Every other member passes through unchanged,
/// including the pagination cursor, so filtering works page by page, and <c>ttlMs</c>. The list is marked
/// <c>"cacheScope": "private"</c> whatever the upstream said: it is filtered for one grant, and MCP
/// 2026-07-28 lets a shared cache serve a <c>public</c> list to anyone.
/// </summary>
/// <param name="policy">The grant's listing policy.</param>
/// <param name="admits">
/// A further judgement of each listed tool by name and definition (a pinned server's tools must match their pins), or none.
/// </param>
/// <param name="anyResponse">
/// Filter a tools array in any response, not only in the request's own answer: on GET streams the gateway cannot
/// know which request a resumed response belongs to.
/// </param>
internal sealed class ToolsListFilter(CompiledPolicy policy, bool anyResponse, Func<string, JsonElement, bool>? admits = null) : IMessageTransform
{
    public bool Applies(JsonElement message, bool isAnswer) => (anyResponse || isAnswer) && IsToolsListResult(message);

    public void Write(Utf8JsonWriter writer, JsonElement message) => Write(writer, message, policy, admits);

    /// <summary>True when <paramref name="message"/> is a response whose result carries a tools array.</summary>
    public static bool IsToolsListResult(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object &&
        message.TryGetProperty("result"u8, out var result) &&
        result.ValueKind == JsonValueKind.Object &&
        result.TryGetProperty("tools"u8, out var tools) &&
        tools.ValueKind == JsonValueKind.Array;

    public static void Write(Utf8JsonWriter writer, JsonElement message, CompiledPolicy policy, Func<string, JsonElement, bool>? admits = null)
    {
        writer.WriteStartObject();
        foreach (var property in message.EnumerateObject())
        {
            if (!property.NameEquals("result"u8))
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WritePropertyName(property.Name);
            writer.WriteStartObject();
            foreach (var member in property.Value.EnumerateObject())
            {
                if (member.NameEquals("cacheScope"u8))
                {
                    continue;
                }

                if (!member.NameEquals("tools"u8))
                {
                    member.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(member.Name);
                writer.WriteStartArray();
                foreach (var tool in member.Value.EnumerateArray())
                {
                    if (tool.ValueKind == JsonValueKind.Object &&
                        tool.TryGetProperty("name"u8, out var name) &&
                        name.ValueKind == JsonValueKind.String &&
                        policy.IsListed(name.GetString()!) &&
                        (admits is null || admits(name.GetString()!, tool)))
                    {
                        tool.WriteTo(writer);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteString("cacheScope"u8, "private"u8);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}

using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>
/// Rewrites a list result (tools, resources, resource templates, prompts) without the entries the policy hides or
/// does not list (issues 2 and 16): the agent never learns that a hidden entry exists. Every other member passes
/// unchanged (the cursor too, so filtering holds page by page, and <c>ttlMs</c>), and the list is marked
/// <c>"cacheScope": "private"</c> whatever the upstream said: it is filtered for one grant, and MCP 2026-07-28
/// lets a shared cache serve a <c>public</c> list to anyone.
/// </summary>
/// <param name="kinds">The kinds of list to filter.</param>
/// <param name="anyResponse">Filter such a list in any response, not only the request's own answer (GET streams).</param>
internal sealed class ListResultFilter(IReadOnlyList<ListResultFilter.Kind> kinds, bool anyResponse) : IMessageTransform
{
    /// <summary>One kind of list: the result's array, the member of each entry the policy judges, and the judgement (by that member and the whole entry).</summary>
    internal sealed record Kind(string Array, string Key, Func<string, JsonElement, bool> IsListed)
    {
        public Kind(string array, string key, Func<string, bool> isListed)
            : this(array, key, (name, _) => isListed(name))
        {
        }
    }

    public bool Applies(JsonElement message, bool isAnswer) => (anyResponse || isAnswer) && HasAList(message);

    /// <summary>Writes <paramref name="message"/> with every list of a kind this filter knows filtered (a message may carry several).</summary>
    public void Write(Utf8JsonWriter writer, JsonElement message)
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

                if (member.Value.ValueKind != JsonValueKind.Array || KindOf(member) is not { } kind)
                {
                    member.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(member.Name);
                writer.WriteStartArray();
                foreach (var entry in member.Value.EnumerateArray())
                {
                    // An entry without its key cannot be judged, so it is left out (fail closed).
                    if (entry.ValueKind == JsonValueKind.Object &&
                        entry.TryGetProperty(kind.Key, out var key) &&
                        key.ValueKind == JsonValueKind.String &&
                        kind.IsListed(key.GetString()!, entry))
                    {
                        entry.WriteTo(writer);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteString("cacheScope"u8, "private"u8);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private bool HasAList(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object ||
            !message.TryGetProperty("result"u8, out var result) ||
            result.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var kind in kinds)
        {
            if (result.TryGetProperty(kind.Array, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                return true;
            }
        }

        return false;
    }

    private Kind? KindOf(JsonProperty member)
    {
        foreach (var kind in kinds)
        {
            if (member.NameEquals(kind.Array))
            {
                return kind;
            }
        }

        return null;
    }
}

using System.Text.Json;
using Json.Pointer;

namespace McpGateway.Tools;

/// <summary>
/// The string values a parameter's schema allows, wherever the schema spells them: <c>enum</c>, <c>const</c> choices of
/// <c>oneOf</c>/<c>anyOf</c>, and through a local <c>$ref</c> (<c>#/$defs/...</c>, <c>#/definitions/...</c>) or an
/// <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c> wrapper, which is how generators write an enum type (pydantic writes a
/// Python <c>Enum</c> parameter as <c>{"$ref":"#/$defs/Op"}</c>, an optional one inside <c>anyOf</c>).
/// </summary>
internal static class SchemaEnumValues
{
    private const int MaxDepth = 8;

    public static List<string> Of(JsonElement property, JsonElement root)
    {
        var values = new List<string>();
        Collect(property, root, values, 0);
        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary><paramref name="schema"/>, or the local definition its <c>$ref</c> points to (a chain of them followed a few steps).</summary>
    public static JsonElement Resolve(JsonElement schema, JsonElement root)
    {
        for (var step = 0; step < MaxDepth && Target(schema, root) is { } target; step++)
        {
            schema = target;
        }

        return schema;
    }

    private static void Collect(JsonElement schema, JsonElement root, List<string> values, int depth)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        schema = Resolve(schema, root);
        if (schema.TryGetProperty("enum", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            values.AddRange(list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
        }

        if (schema.TryGetProperty("const", out var constant) && constant.ValueKind == JsonValueKind.String)
        {
            values.Add(constant.GetString()!);
        }

        foreach (var keyword in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(keyword, out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    Collect(choice, root, values, depth + 1);
                }
            }
        }
    }

    private static JsonElement? Target(JsonElement schema, JsonElement root)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$ref", out var reference) || reference.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // A local pointer only (JsonPointer.Net, which JsonSchema.Net brings, reads the "#/..." form): a remote
        // schema is never fetched.
        var pointer = reference.GetString()!;
        return pointer.StartsWith("#/", StringComparison.Ordinal) && JsonPointer.TryParse(pointer, out var local) ? local.Evaluate(root) : null;
    }
}

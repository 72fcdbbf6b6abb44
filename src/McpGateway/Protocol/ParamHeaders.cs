using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Protocol;

/// <summary>
/// <c>Mcp-Param-*</c> headers (MCP 2026-07-28, SEP-2243): a tool's inputSchema marks an argument with
/// <c>x-mcp-header: "Region"</c>, and the client repeats that argument's value in <c>Mcp-Param-Region</c> so that
/// routers can read it without the body. The spec has intermediaries check such a header against the body
/// before trusting it; the gateway decides nothing by them, but checks every one against the tool's listed schema
/// and forwards only those it checked, so the upstream never reads a header that says something the body does not.
/// </summary>
internal static class ParamHeaders
{
    public const string Prefix = "Mcp-Param-";

    public static bool Present(HttpRequest request)
    {
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The headers to forward, checked against <paramref name="arguments"/> by <paramref name="inputSchema"/>; null
    /// with the problem when one disagrees with the body, is missing for a value the body has, or names no parameter.
    /// </summary>
    public static List<KeyValuePair<string, string>>? Check(HttpRequest request, JsonElement inputSchema, JsonElement arguments, out string? problem)
    {
        problem = null;
        var declared = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("properties"u8, out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("x-mcp-header"u8, out var header) &&
                    header.ValueKind == JsonValueKind.String && header.GetString() is { Length: > 0 } suffix)
                {
                    declared.TryAdd(Prefix + suffix, property.Name);
                }
            }
        }

        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !declared.ContainsKey(header.Key))
            {
                problem = $"{Short(header.Key)} names no x-mcp-header parameter of the tool";
                return null;
            }
        }

        var forwarded = new List<KeyValuePair<string, string>>(declared.Count);
        foreach (var (name, parameter) in declared)
        {
            var values = request.Headers[name];
            var value = default(JsonElement);
            var hasValue = arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(parameter, out value) && value.ValueKind != JsonValueKind.Null;
            if (values.Count == 0)
            {
                if (hasValue)
                {
                    problem = $"{Short(name)} is required: the arguments hold a value for it";
                    return null;
                }

                continue;
            }

            if (values.Count != 1 || !hasValue || !Matches(values[0]!, value))
            {
                problem = $"{Short(name)} does not match the arguments";
                return null;
            }

            forwarded.Add(new(name, values[0]!));
        }

        return forwarded;
    }

    /// <summary>Whether a header value carries <paramref name="value"/>: verbatim, or as <c>=?base64?...?=</c> of its UTF-8.</summary>
    private static bool Matches(string header, JsonElement value)
    {
        if (!HeaderValueEncoding.TryDecode(header, out var text))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => string.Equals(text, value.GetString(), StringComparison.Ordinal),
            JsonValueKind.True => text == "true",
            JsonValueKind.False => text == "false",
            JsonValueKind.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && value.TryGetDouble(out var body) && number == body,
            _ => false,
        };
    }

    private static string Short(string name) => name.Length > 128 ? name[..128] : name;
}

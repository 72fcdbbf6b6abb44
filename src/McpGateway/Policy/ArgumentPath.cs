using System.Text;
using System.Text.Json;

namespace McpGateway.Policy;

/// <summary>
/// A compiled <c>args.a.b</c> path. Segments are kept as UTF-8 so lookups compare bytes in place
/// (<see cref="JsonElement.TryGetProperty(ReadOnlySpan{byte}, out JsonElement)"/>) and allocate nothing.
/// Paths walk objects only, as in Intercept; a JSON <c>null</c> at the end counts as missing.
/// </summary>
internal sealed class ArgumentPath
{
    private const string Root = "args.";
    private readonly byte[][] _segments;

    private ArgumentPath(string text)
    {
        Text = text;
        _segments = text[Root.Length..].Split('.').Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public string Text { get; }

    public static bool IsValid(string text) =>
        text.StartsWith(Root, StringComparison.Ordinal) &&
        text.Length > Root.Length &&
        text[Root.Length..].Split('.').All(segment => segment.Length > 0);

    public static ArgumentPath Parse(string text) =>
        IsValid(text) ? new ArgumentPath(text) : throw new ArgumentException($"invalid argument path \"{text}\"", nameof(text));

    /// <summary>Finds the value at this path in <paramref name="arguments"/>; false when absent or null.</summary>
    public bool TryResolve(JsonElement arguments, out JsonElement value)
    {
        value = arguments;
        foreach (var segment in _segments)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                value = default;
                return false;
            }
        }

        return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }
}

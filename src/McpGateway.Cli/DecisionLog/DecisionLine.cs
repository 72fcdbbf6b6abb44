using System.Text.Json;

namespace McpGateway.Cli.DecisionLog;

/// <summary>
/// Opens one line of a decision log as <c>mcpgw stats</c> and <c>mcpgw policy diff</c> read it. CloudWatch exports
/// and Lambda's text format may put a timestamp and request id before the JSON; lines that are not decision lines
/// (audit lines, a platform's own lines) are passed over; a line that starts like JSON but does not parse is unreadable.
/// </summary>
internal static class DecisionLine
{
    /// <summary>The decision line's document (the caller disposes it), or null with <paramref name="unreadable"/> saying why.</summary>
    public static JsonDocument? Open(string line, out bool unreadable)
    {
        unreadable = false;
        var start = line.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.AsMemory(start));
        }
        catch (JsonException)
        {
            unreadable = true;
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object || Text(document.RootElement, "type") != "decision")
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>A string member of the line, or null when it is missing or not a string.</summary>
    public static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

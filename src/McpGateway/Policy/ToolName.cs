using System.Buffers;

namespace McpGateway.Policy;

/// <summary>
/// MCP tool names: 1 to 128 characters of <c>[A-Za-z0-9_.-]</c>, compared ordinally (MCP spec, tools,
/// "Tool names"). Anything else, including look-alike Unicode, is refused before policy lookup.
/// </summary>
internal static class ToolName
{
    public const int MaxLength = 128;

    /// <summary>The rule as every error message states it, for tool names and for the entry and counter names that follow it.</summary>
    public const string Rule = "use 1-128 characters of A-Z a-z 0-9 _ . -";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    public static bool IsValid(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= MaxLength && name.IndexOfAnyExcept(Allowed) < 0;

    /// <summary>A policy key: a tool name, or a prefix of one followed by <c>*</c> (a bare <c>*</c> matches all).</summary>
    public static bool IsValidPattern(ReadOnlySpan<char> pattern) =>
        pattern.EndsWith('*')
            ? pattern.Length <= MaxLength + 1 && (pattern.Length == 1 || IsValid(pattern[..^1]))
            : IsValid(pattern);
}

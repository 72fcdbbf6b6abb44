namespace McpGateway.Policy.Parsing;

/// <summary>Builds the JSON paths that policy problems and decisions name (<c>tools.create_charge.require[0].op</c>).</summary>
internal static class PolicyPath
{
    public static string Member(string parent, string name)
    {
        var simple = name.Length > 0 && name.AsSpan().IndexOfAnyExcept(SimpleChars) < 0;
        var segment = simple ? name : "[\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";
        if (parent == "$")
        {
            return simple ? segment : "$" + segment;
        }

        return simple ? parent + "." + segment : parent + segment;
    }

    public static string Index(string parent, int index) => parent + "[" + index + "]";

    private static readonly System.Buffers.SearchValues<char> SimpleChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-*");
}

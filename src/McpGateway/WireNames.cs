namespace McpGateway;

/// <summary>
/// The one table between an enum and the names it has in JSON: the parser reads with it, and every writer
/// (decision log, results, CLI reports) names values with it, so a name is spelt in one place only.
/// </summary>
internal sealed class WireNames<T>
    where T : struct, Enum
{
    private readonly (string Name, T Value)[] _pairs;

    public WireNames(params (string Name, T Value)[] pairs)
    {
        _pairs = pairs;
        Expected = pairs.Length switch
        {
            1 => Quote(pairs[0].Name),
            _ => string.Join(", ", pairs[..^1].Select(p => Quote(p.Name))) + " or " + Quote(pairs[^1].Name),
        };
    }

    /// <summary>The accepted names as an error message lists them: <c>"a", "b" or "c"</c>.</summary>
    public string Expected { get; }

    /// <summary>The value named <paramref name="name"/> (ordinal, as every name in the policy format), or null.</summary>
    public T? Parse(string name)
    {
        foreach (var (candidate, value) in _pairs)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The JSON name of <paramref name="value"/>.</summary>
    public string NameOf(T value)
    {
        foreach (var (name, candidate) in _pairs)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "no wire name");
    }

    private static string Quote(string name) => "\"" + name + "\"";
}

namespace McpGateway.Policy.Parsing;

/// <summary>The kinds of JSON value a <see cref="LocatedJson"/> can hold.</summary>
internal enum LocatedJsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A JSON value with the line and column where it starts. System.Text.Json's DOM drops positions, and
/// the policy validator must point at the exact token a problem is about (issue 2), so policy documents
/// are read into this small tree instead. Only configuration goes through it, never the request path.
/// </summary>
internal sealed class LocatedJson
{
    private LocatedJson(LocatedJsonKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public LocatedJsonKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the value's first character.</summary>
    public int Column { get; }

    /// <summary>The string value, or the number's literal text.</summary>
    public string? Text { get; private init; }

    /// <summary>Properties in document order (objects only).</summary>
    public IReadOnlyList<LocatedProperty> Properties { get; private init; } = [];

    /// <summary>Items in document order (arrays only).</summary>
    public IReadOnlyList<LocatedJson> Items { get; private init; } = [];

    public static LocatedJson Scalar(LocatedJsonKind kind, string? text, int line, int column) =>
        new(kind, line, column) { Text = text };

    public static LocatedJson Object(IReadOnlyList<LocatedProperty> properties, int line, int column) =>
        new(LocatedJsonKind.Object, line, column) { Properties = properties };

    public static LocatedJson Array(IReadOnlyList<LocatedJson> items, int line, int column) =>
        new(LocatedJsonKind.Array, line, column) { Items = items };

    public LocatedJson? this[string name]
    {
        get
        {
            foreach (var property in Properties)
            {
                if (string.Equals(property.Name, name, StringComparison.Ordinal))
                {
                    return property.Value;
                }
            }

            return null;
        }
    }

    /// <summary>A short description of the value's type for error messages.</summary>
    public string TypeName => Kind switch
    {
        LocatedJsonKind.Object => "an object",
        LocatedJsonKind.Array => "an array",
        LocatedJsonKind.String => "a string",
        LocatedJsonKind.Number => "a number",
        LocatedJsonKind.True or LocatedJsonKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>An object member with the position of its name.</summary>
internal sealed record LocatedProperty(string Name, LocatedJson Value, int Line, int Column);

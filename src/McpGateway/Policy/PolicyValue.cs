using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpGateway.Policy;

/// <summary>The kind of a scalar JSON value written in a policy.</summary>
internal enum PolicyValueKind
{
    Missing,
    String,
    Number,
    Boolean,
    Null,
    List,
}

/// <summary>
/// A JSON value from a policy condition. Only scalars and flat lists of scalars are allowed: a policy
/// compares an argument against literals, never against structures.
/// </summary>
internal sealed record PolicyValue
{
    public static readonly PolicyValue Missing = new() { Kind = PolicyValueKind.Missing };
    public static readonly PolicyValue Null = new() { Kind = PolicyValueKind.Null };
    public static readonly PolicyValue True = new() { Kind = PolicyValueKind.Boolean, Boolean = true };
    public static readonly PolicyValue False = new() { Kind = PolicyValueKind.Boolean, Boolean = false };

    // Reasons are read by agents and operators, never pasted into HTML, so escape only what JSON needs:
    // the default encoder would show the pattern ^ch_[0-9]+$ as "^ch_[0-9]\u002B$" and café as "caf\u00E9".
    private static readonly PolicyJsonContext ReadableJson = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public PolicyValueKind Kind { get; private init; }
    public string? String { get; private init; }
    public double Number { get; private init; }
    public bool Boolean { get; private init; }
    public ImmutableArray<PolicyValue> List { get; private init; } = [];

    public static PolicyValue FromString(string value) => new() { Kind = PolicyValueKind.String, String = value };
    public static PolicyValue FromNumber(double value) => new() { Kind = PolicyValueKind.Number, Number = value };
    public static PolicyValue FromBoolean(bool value) => value ? True : False;
    public static PolicyValue FromList(ImmutableArray<PolicyValue> items) => new() { Kind = PolicyValueKind.List, List = items };

    /// <summary>The value as it would be written in JSON, for reasons shown to agents and operators.</summary>
    public override string ToString() => Kind switch
    {
        PolicyValueKind.String => JsonSerializer.Serialize(String!, ReadableJson.String),
        PolicyValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        PolicyValueKind.Boolean => Boolean ? "true" : "false",
        PolicyValueKind.Null => "null",
        PolicyValueKind.List => "[" + string.Join(", ", List.Select(v => v.ToString())) + "]",
        _ => "(none)",
    };

    public bool Equals(PolicyValue? other) =>
        other is not null && Kind == other.Kind && String == other.String &&
        Number.Equals(other.Number) && Boolean == other.Boolean && List.SequenceEqual(other.List);

    public override int GetHashCode() => HashCode.Combine(Kind, String, Number, Boolean, List.Length);
}

using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace McpGateway.Policy.Evaluation;

/// <summary>
/// A condition ready to run: the path is pre-split, the regex pre-built, literals pre-converted, so
/// evaluating it parses nothing. Semantics follow Intercept's operators (issue 2), with one deliberate
/// difference: an argument whose type makes the condition impossible to judge yields
/// <see cref="ConditionResult.WrongType"/>, which denies the call even under <c>deny_if</c>, so that
/// <c>"amount": "5000"</c> cannot slip past <c>deny_if amount gt 1000</c>, nor <c>"target": ["prod"]</c>
/// past <c>deny_if target in ["prod"]</c> (issue 15: an upstream that coerces types would act on prod).
/// </summary>
internal sealed class CompiledCondition
{
    private const int StackCharLimit = 256;

    private readonly ArgumentPath _path;
    private readonly ConditionOperator _op;
    private readonly Literal _literal;
    private readonly Literal[] _list;
    private readonly Regex? _regex;

    public CompiledCondition(PolicyCondition condition)
    {
        Source = condition;
        _path = ArgumentPath.Parse(condition.Path);
        _op = condition.Op;
        _literal = new Literal(condition.Value);
        _list = condition.Value.Kind == PolicyValueKind.List ? condition.Value.List.Select(v => new Literal(v)).ToArray() : [];
        if (condition.Op == ConditionOperator.Regex)
        {
            PolicyRegex.TryCreate(condition.Value.String!, out _regex, out _);
        }

        Description = $"{condition.Path} {PolicyVocabulary.Operators.NameOf(condition.Op)} {condition.Value}";
    }

    public PolicyCondition Source { get; }

    /// <summary>The condition as written, e.g. <c>args.amount lte 5000</c>, for reasons.</summary>
    public string Description { get; }

    public string PathText => _path.Text;

    public ConditionResult Evaluate(JsonElement arguments)
    {
        var present = _path.TryResolve(arguments, out var value);
        if (_op == ConditionOperator.Exists)
        {
            return present == _literal.Boolean ? ConditionResult.True : ConditionResult.False;
        }

        if (!present)
        {
            // Missing values never satisfy anything, including neq and not_in (issue 2, Intercept).
            return ConditionResult.False;
        }

        if (_op is ConditionOperator.Eq or ConditionOperator.Neq or ConditionOperator.In or ConditionOperator.NotIn &&
            value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            // The literals are scalars, so a structure can only be judged by guessing how the upstream
            // reads it; refusing is the one answer that holds for every upstream.
            return ConditionResult.WrongType;
        }

        switch (_op)
        {
            case ConditionOperator.Eq:
                return From(Equal(value, _literal));
            case ConditionOperator.Neq:
                return From(!Equal(value, _literal));
            case ConditionOperator.In:
                return From(AnyEqual(value, _list));
            case ConditionOperator.NotIn:
                return From(!AnyEqual(value, _list));
            case ConditionOperator.Lt or ConditionOperator.Lte or ConditionOperator.Gt or ConditionOperator.Gte:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
                {
                    return ConditionResult.WrongType;
                }

                return From(_op switch
                {
                    ConditionOperator.Lt => number < _literal.Number,
                    ConditionOperator.Lte => number <= _literal.Number,
                    ConditionOperator.Gt => number > _literal.Number,
                    _ => number >= _literal.Number,
                });
            case ConditionOperator.Regex:
                return value.ValueKind == JsonValueKind.String
                    ? From(WithChars(value, _regex!, static (regex, chars) => regex.IsMatch(chars)))
                    : ConditionResult.WrongType;
            default: // Contains
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        if (Equal(item, _literal))
                        {
                            return ConditionResult.True;
                        }
                    }

                    return ConditionResult.False;
                }

                return value.ValueKind == JsonValueKind.String
                    ? From(WithChars(value, _literal.Text!, static (needle, chars) => chars.Contains(needle.AsSpan(), StringComparison.Ordinal)))
                    : ConditionResult.WrongType;
        }
    }

    private static ConditionResult From(bool value) => value ? ConditionResult.True : ConditionResult.False;

    private static bool AnyEqual(JsonElement value, Literal[] list)
    {
        foreach (var literal in list)
        {
            if (Equal(value, literal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Numbers compare as numbers; everything else compares as printed text (Intercept's rule), so the
    /// string <c>"5"</c> equals the number 5 and <c>true</c> equals <c>"true"</c>. Objects and arrays equal nothing.
    /// </summary>
    private static bool Equal(JsonElement value, Literal literal)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return literal.IsNumeric && value.TryGetDouble(out var number) && number == literal.Number;
            case JsonValueKind.String:
                if (literal.Text is not null && value.ValueEquals(literal.Text))
                {
                    return true;
                }

                // A numeric literal also equals a string that spells the same number ("5.0" == 5).
                return literal.Kind == PolicyValueKind.Number &&
                       WithChars(value, literal.Number, static (n, chars) =>
                           double.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == n);
            case JsonValueKind.True:
                return literal.Text == "true";
            case JsonValueKind.False:
                return literal.Text == "false";
            default:
                return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="test"/> over a string argument's characters without allocating a string for
    /// short, unescaped values (the common case); longer or escaped values fall back to a rented buffer.
    /// </summary>
    private static bool WithChars<TState>(JsonElement value, TState state, Func<TState, ReadOnlySpan<char>, bool> test)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);

        // Raw value includes the quotes; escapes need the decoder, so take the allocating path for them.
        var utf8 = raw[1..^1];
        if (utf8.IndexOf((byte)'\\') >= 0)
        {
            return test(state, value.GetString());
        }

        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        char[]? rented = null;
        var buffer = max <= StackCharLimit ? stackalloc char[StackCharLimit] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, buffer);
            return test(state, buffer[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A policy literal in the forms comparisons need.</summary>
    private readonly struct Literal
    {
        public Literal(PolicyValue value)
        {
            Kind = value.Kind;
            Boolean = value.Boolean;
            switch (value.Kind)
            {
                case PolicyValueKind.Number:
                    Number = value.Number;
                    IsNumeric = true;
                    Text = value.Number.ToString("R", CultureInfo.InvariantCulture);
                    break;
                case PolicyValueKind.String:
                    Text = value.String;
                    IsNumeric = double.TryParse(value.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed);
                    Number = IsNumeric ? parsed : 0;
                    break;
                case PolicyValueKind.Boolean:
                    Text = value.Boolean ? "true" : "false";
                    break;
            }
        }

        public PolicyValueKind Kind { get; }
        public string? Text { get; }
        public double Number { get; }
        public bool IsNumeric { get; }
        public bool Boolean { get; }
    }
}

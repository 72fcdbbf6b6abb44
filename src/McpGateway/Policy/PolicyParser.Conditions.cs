using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>The <c>require</c> and <c>deny_if</c> conditions of a rule: argument paths, operators and operands.</summary>
internal sealed partial class PolicyParser
{
    private ImmutableArray<PolicyCondition> ReadConditions(LocatedJson? node, string path)
    {
        if (node is null || !ExpectKind(node, path, LocatedJsonKind.Array, "an array of conditions"))
        {
            return [];
        }

        var conditions = ImmutableArray.CreateBuilder<PolicyCondition>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (ReadCondition(node.Items[i], PolicyPath.Index(path, i)) is { } condition)
            {
                conditions.Add(condition);
            }
        }

        return conditions.ToImmutable();
    }

    private PolicyCondition? ReadCondition(LocatedJson node, string path)
    {
        if (!ExpectObject(node, path, ConditionFields))
        {
            return null;
        }

        var argumentPath = ReadArgumentPath(node["path"], path + ".path", node);
        var opNode = node["op"];
        ConditionOperator? op = null;
        if (opNode is null)
        {
            Problem(path + ".op", "required field is missing", node);
        }
        else if (opNode.Kind != LocatedJsonKind.String)
        {
            Problem(path + ".op", $"must be a string, not {opNode.TypeName}", opNode);
        }
        else
        {
            op = PolicyVocabulary.Operators.Parse(opNode.Text!);
            if (op is null)
            {
                Problem(path + ".op", $"unknown operator \"{opNode.Text}\"", opNode);
            }
        }

        var valueNode = node["value"];
        var value = op is null ? null : ReadOperand(op.Value, valueNode, path + ".value", node);
        if (argumentPath is null || op is null || value is null)
        {
            return null;
        }

        return new PolicyCondition(argumentPath, op.Value, value);
    }

    private PolicyValue? ReadOperand(ConditionOperator op, LocatedJson? node, string path, LocatedJson condition)
    {
        if (node is null)
        {
            if (op == ConditionOperator.Exists)
            {
                return PolicyValue.True;
            }

            Problem(path, "required field is missing", condition);
            return null;
        }

        switch (op)
        {
            case ConditionOperator.Eq or ConditionOperator.Neq:
                return ReadScalar(node, path, "a string, number or boolean");

            case ConditionOperator.In or ConditionOperator.NotIn:
                if (!ExpectKind(node, path, LocatedJsonKind.Array, "a non-empty array of strings, numbers or booleans"))
                {
                    return null;
                }

                if (node.Items.Count == 0)
                {
                    Problem(path, "must list at least one value", node);
                    return null;
                }

                var items = ImmutableArray.CreateBuilder<PolicyValue>(node.Items.Count);
                var ok = true;
                for (var i = 0; i < node.Items.Count; i++)
                {
                    var item = ReadScalar(node.Items[i], PolicyPath.Index(path, i), "a string, number or boolean");
                    ok &= item is not null;
                    if (item is not null)
                    {
                        items.Add(item);
                    }
                }

                return ok ? PolicyValue.FromList(items.ToImmutable()) : null;

            case ConditionOperator.Lt or ConditionOperator.Lte or ConditionOperator.Gt or ConditionOperator.Gte:
                if (node.Kind != LocatedJsonKind.Number)
                {
                    Problem(path, $"operator {PolicyVocabulary.Operators.NameOf(op)} needs a number, not {node.TypeName}", node);
                    return null;
                }

                return ReadNumber(node, path);

            case ConditionOperator.Regex:
                if (!ExpectKind(node, path, LocatedJsonKind.String, "a regular expression string"))
                {
                    return null;
                }

                if (PolicyRegex.TryCreate(node.Text!, out _, out var regexError))
                {
                    return PolicyValue.FromString(node.Text!);
                }

                Problem(path, $"regular expression does not compile: {regexError}", node);
                return null;

            case ConditionOperator.Contains:
                return ReadScalar(node, path, "a string, number or boolean");

            default:
                if (node.Kind is LocatedJsonKind.True or LocatedJsonKind.False)
                {
                    return PolicyValue.FromBoolean(node.Kind == LocatedJsonKind.True);
                }

                Problem(path, $"operator exists needs true or false, not {node.TypeName}", node);
                return null;
        }
    }

    private PolicyValue? ReadScalar(LocatedJson node, string path, string expected)
    {
        switch (node.Kind)
        {
            case LocatedJsonKind.String:
                return PolicyValue.FromString(node.Text!);
            case LocatedJsonKind.Number:
                return ReadNumber(node, path);
            case LocatedJsonKind.True:
                return PolicyValue.True;
            case LocatedJsonKind.False:
                return PolicyValue.False;
            case LocatedJsonKind.Null:
                Problem(path, "null never matches: an argument that is null counts as missing (use the exists operator)", node);
                return null;
            default:
                Problem(path, $"must be {expected}, not {node.TypeName}", node);
                return null;
        }
    }

    private PolicyValue? ReadNumber(LocatedJson node, string path)
    {
        if (double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return PolicyValue.FromNumber(number);
        }

        Problem(path, $"number {node.Text} is out of range", node);
        return null;
    }

    private string? ReadArgumentPath(LocatedJson? node, string path, LocatedJson parent)
    {
        if (node is null)
        {
            Problem(path, "required field is missing", parent);
            return null;
        }

        if (!ExpectKind(node, path, LocatedJsonKind.String, "a path such as \"args.amount\""))
        {
            return null;
        }

        if (!ArgumentPath.IsValid(node.Text!))
        {
            Problem(path, $"invalid argument path {Describe(node)}: use \"args.\" followed by dot-separated names, e.g. \"args.customer.id\"", node);
            return null;
        }

        return node.Text;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>
/// Parses and validates a policy document (format v1). Strict by design: unknown fields, wrong types,
/// duplicate keys and unusable values are errors, because a typo in a policy must never silently widen
/// what an agent may do. Every problem is collected in one pass, each with its JSON path and position.
/// </summary>
internal sealed class PolicyParser
{
    /// <summary>Longest counter name; counters become part of store keys.</summary>
    public const int MaxCounterLength = 128;

    /// <summary>Longest approval timeout accepted; approvals are meant for a person at a keyboard.</summary>
    public static readonly TimeSpan MaxApprovalTimeout = TimeSpan.FromDays(7);

    private static readonly string[] DocumentFields = ["version", "default", "hide", "all_tools", "tools"];
    private static readonly string[] AllToolsFields = ["limits"];
    private static readonly string[] RuleFields = ["action", "reason", "require", "deny_if", "limits", "approval"];
    private static readonly string[] ConditionFields = ["path", "op", "value"];
    private static readonly string[] LimitFields = ["counter", "window", "max", "scope", "increment_from", "on_store_error"];
    private static readonly string[] ApprovalFields = ["timeout", "include_arguments"];

    private readonly List<PolicyProblem> _problems = [];
    private readonly Dictionary<(string Counter, LimitScope Scope), (PolicyLimit Limit, string Path)> _counters = [];

    private PolicyParser()
    {
    }

    /// <summary>Parses a UTF-8 policy document.</summary>
    public static PolicyParseResult Parse(ReadOnlySpan<byte> utf8) => new PolicyParser().Run(utf8);

    /// <summary>Parses a policy document held in a string.</summary>
    public static PolicyParseResult Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    private PolicyParseResult Run(ReadOnlySpan<byte> utf8)
    {
        var root = LocatedJsonReader.Read(utf8, OnDuplicate, out var syntaxError);
        if (root is null)
        {
            return new PolicyParseResult(null, [syntaxError!]);
        }

        var document = ReadDocument(root);
        var problems = _problems
            .OrderBy(p => p.Line).ThenBy(p => p.Column).ThenBy(p => p.Path, StringComparer.Ordinal)
            .ToImmutableArray();
        return problems.IsEmpty ? new PolicyParseResult(document, []) : new PolicyParseResult(null, problems);
    }

    private void OnDuplicate(string parentPath, LocatedProperty property) =>
        Problem(PolicyPath.Member(parentPath, property.Name), $"duplicate key \"{property.Name}\"", property.Line, property.Column);

    private void Problem(string path, string message, LocatedJson at) => Problem(path, message, at.Line, at.Column);

    private void Problem(string path, string message, int line, int column) =>
        _problems.Add(new PolicyProblem(path, message, line, column));

    private PolicyDocument? ReadDocument(LocatedJson root)
    {
        if (!ExpectObject(root, "$", DocumentFields))
        {
            return null;
        }

        var version = root["version"];
        if (version is null)
        {
            Problem("version", "required field is missing (use \"1\")", root);
        }
        else if (version.Kind != LocatedJsonKind.String || version.Text != "1")
        {
            Problem("version", $"unsupported version {Describe(version)}; this gateway reads version \"1\"", version);
        }

        var defaultAction = DefaultAction.Deny;
        var defaultNode = root["default"];
        if (defaultNode is null)
        {
            Problem("default", "required field is missing (use \"allow\" or \"deny\")", root);
        }
        else
        {
            defaultAction = ReadEnum(defaultNode, "default", ParseDefault, "\"allow\" or \"deny\"") ?? DefaultAction.Deny;
        }

        var hide = ImmutableArray<string>.Empty;
        if (root["hide"] is { } hideNode && ExpectKind(hideNode, "hide", LocatedJsonKind.Array, "an array of tool names"))
        {
            var names = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < hideNode.Items.Count; i++)
            {
                var item = hideNode.Items[i];
                var path = PolicyPath.Index("hide", i);
                if (ExpectKind(item, path, LocatedJsonKind.String, "a tool name"))
                {
                    if (ToolName.IsValidPattern(item.Text))
                    {
                        names.Add(item.Text!);
                    }
                    else
                    {
                        Problem(path, $"invalid tool name {Describe(item)}: use 1-128 characters of A-Z a-z 0-9 _ . - (optionally ending in *)", item);
                    }
                }
            }

            hide = names.ToImmutable();
        }

        var allToolsLimits = ImmutableArray<PolicyLimit>.Empty;
        if (root["all_tools"] is { } allTools && ExpectObject(allTools, "all_tools", AllToolsFields))
        {
            allToolsLimits = ReadLimits(allTools["limits"], "all_tools.limits");
        }

        var tools = ImmutableArray.CreateBuilder<ToolRule>();
        if (root["tools"] is { } toolsNode && ExpectKind(toolsNode, "tools", LocatedJsonKind.Object, "an object mapping tool names to rules"))
        {
            foreach (var property in toolsNode.Properties)
            {
                var path = PolicyPath.Member("tools", property.Name);
                if (!ToolName.IsValidPattern(property.Name))
                {
                    Problem(path, $"invalid tool name \"{property.Name}\": use 1-128 characters of A-Z a-z 0-9 _ . - (optionally ending in *)", property.Line, property.Column);
                }

                if (ReadRule(property.Name, property.Value, path) is { } rule)
                {
                    tools.Add(rule);
                }
            }
        }

        return new PolicyDocument(defaultAction, hide, allToolsLimits, tools.ToImmutable());
    }

    private ToolRule? ReadRule(string key, LocatedJson node, string path)
    {
        if (!ExpectObject(node, path, RuleFields))
        {
            return null;
        }

        var action = RuleAction.Allow;
        if (node["action"] is { } actionNode)
        {
            action = ReadEnum(actionNode, path + ".action", ParseAction, "\"allow\", \"deny\", \"hide\" or \"approve\"") ?? RuleAction.Allow;
        }

        string? reason = null;
        if (node["reason"] is { } reasonNode && ExpectKind(reasonNode, path + ".reason", LocatedJsonKind.String, "a string"))
        {
            reason = reasonNode.Text;
        }

        var require = ReadConditions(node["require"], path + ".require");
        var denyIf = ReadConditions(node["deny_if"], path + ".deny_if");
        var limits = ReadLimits(node["limits"], path + ".limits");

        ApprovalSettings? approval = null;
        if (node["approval"] is { } approvalNode)
        {
            if (action != RuleAction.Approve)
            {
                Problem(path + ".approval", "approval settings apply only to \"action\": \"approve\"", approvalNode);
            }

            approval = ReadApproval(approvalNode, path + ".approval");
        }

        if (action == RuleAction.Approve)
        {
            approval ??= ApprovalSettings.Default;
        }

        return new ToolRule(key, action, reason, require, denyIf, limits, approval);
    }

    private ApprovalSettings? ReadApproval(LocatedJson node, string path)
    {
        if (!ExpectObject(node, path, ApprovalFields))
        {
            return null;
        }

        var includeArguments = false;
        if (node["include_arguments"] is { } includeNode)
        {
            if (includeNode.Kind is LocatedJsonKind.True or LocatedJsonKind.False)
            {
                includeArguments = includeNode.Kind == LocatedJsonKind.True;
            }
            else
            {
                Problem(path + ".include_arguments", $"must be true or false, not {includeNode.TypeName}", includeNode);
            }
        }

        if (node["timeout"] is not { } timeoutNode)
        {
            return ApprovalSettings.Default with { IncludeArguments = includeArguments };
        }

        if (ExpectKind(timeoutNode, path + ".timeout", LocatedJsonKind.String, "a duration such as \"15m\""))
        {
            if (Duration.TryParse(timeoutNode.Text, out var timeout) && timeout > TimeSpan.Zero && timeout <= MaxApprovalTimeout)
            {
                return new ApprovalSettings(timeout, includeArguments);
            }

            Problem(path + ".timeout", $"invalid duration {Describe(timeoutNode)}: use a whole number followed by s, m, h or d, at most 7d", timeoutNode);
        }

        return null;
    }

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
            op = ParseOperator(opNode.Text!);
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
                    Problem(path, $"operator {OperatorName(op)} needs a number, not {node.TypeName}", node);
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

    private ImmutableArray<PolicyLimit> ReadLimits(LocatedJson? node, string path)
    {
        if (node is null || !ExpectKind(node, path, LocatedJsonKind.Array, "an array of limits"))
        {
            return [];
        }

        var limits = ImmutableArray.CreateBuilder<PolicyLimit>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (ReadLimit(node.Items[i], PolicyPath.Index(path, i)) is { } limit)
            {
                limits.Add(limit);
            }
        }

        return limits.ToImmutable();
    }

    private PolicyLimit? ReadLimit(LocatedJson node, string path)
    {
        if (!ExpectObject(node, path, LimitFields))
        {
            return null;
        }

        var ok = true;
        string? counter = null;
        if (node["counter"] is not { } counterNode)
        {
            Problem(path + ".counter", "required field is missing", node);
            ok = false;
        }
        else if (ExpectKind(counterNode, path + ".counter", LocatedJsonKind.String, "a counter name"))
        {
            counter = counterNode.Text!;
            if (!ToolName.IsValid(counter))
            {
                Problem(path + ".counter", $"invalid counter name {Describe(counterNode)}: use 1-128 characters of A-Z a-z 0-9 _ . -", counterNode);
                ok = false;
            }
        }
        else
        {
            ok = false;
        }

        long window = 0;
        if (node["window"] is not { } windowNode)
        {
            Problem(path + ".window", "required field is missing (use \"minute\", \"hour\", \"day\" or a number of seconds)", node);
            ok = false;
        }
        else if (!TryReadWindow(windowNode, out window))
        {
            Problem(path + ".window", $"unknown window {Describe(windowNode)}: use \"minute\", \"hour\", \"day\" or a whole number of seconds from 1 to 31536000", windowNode);
            ok = false;
        }

        long max = 0;
        if (node["max"] is not { } maxNode)
        {
            Problem(path + ".max", "required field is missing", node);
            ok = false;
        }
        else if (maxNode.Kind != LocatedJsonKind.Number || !long.TryParse(maxNode.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out max) || max < 1)
        {
            Problem(path + ".max", $"must be a whole number of at least 1, not {Describe(maxNode)}", maxNode);
            ok = false;
        }

        var scope = LimitScope.Grant;
        if (node["scope"] is { } scopeNode)
        {
            var parsed = ReadEnum(scopeNode, path + ".scope", ParseScope, "\"grant\", \"server\" or \"session\"");
            ok &= parsed is not null;
            scope = parsed ?? LimitScope.Grant;
        }

        string? incrementFrom = null;
        if (node["increment_from"] is { } incrementNode)
        {
            incrementFrom = ReadArgumentPath(incrementNode, path + ".increment_from", node);
            ok &= incrementFrom is not null;
        }

        var onStoreError = StoreErrorMode.Deny;
        if (node["on_store_error"] is { } storeErrorNode)
        {
            var parsed = ReadEnum(storeErrorNode, path + ".on_store_error", ParseStoreError, "\"deny\" or \"allow\"");
            ok &= parsed is not null;
            onStoreError = parsed ?? StoreErrorMode.Deny;
        }

        if (!ok || counter is null)
        {
            return null;
        }

        var limit = new PolicyLimit(counter, window, max, scope, incrementFrom, onStoreError);

        // Limits naming one counter in one scope share one budget, so they must agree on what that budget is.
        if (_counters.TryGetValue((counter, scope), out var first))
        {
            if (first.Limit.WindowSeconds != window || first.Limit.Max != max || first.Limit.IncrementFrom != incrementFrom)
            {
                Problem(path, $"counter \"{counter}\" ({ScopeName(scope)} scope) is already declared at {first.Path} with another window, max or increment_from; limits sharing a counter share one budget, so declare them alike or use another counter name", node);
                return null;
            }
        }
        else
        {
            _counters[(counter, scope)] = (limit, path);
        }

        return limit;
    }

    private static bool TryReadWindow(LocatedJson node, out long seconds)
    {
        seconds = node.Kind switch
        {
            LocatedJsonKind.String when node.Text == "minute" => 60,
            LocatedJsonKind.String when node.Text == "hour" => 3_600,
            LocatedJsonKind.String when node.Text == "day" => 86_400,
            LocatedJsonKind.Number when long.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 0,
        };

        // A year is the longest window that still means "a rate"; beyond it a counter is a quota.
        return seconds is >= 1 and <= 31_536_000;
    }

    private bool ExpectObject(LocatedJson node, string path, string[] allowedFields)
    {
        if (!ExpectKind(node, path, LocatedJsonKind.Object, "an object"))
        {
            return false;
        }

        foreach (var property in node.Properties)
        {
            if (Array.IndexOf(allowedFields, property.Name) < 0)
            {
                Problem(PolicyPath.Member(path, property.Name), $"unknown field \"{property.Name}\" (allowed here: {string.Join(", ", allowedFields)})", property.Line, property.Column);
            }
        }

        return true;
    }

    private bool ExpectKind(LocatedJson node, string path, LocatedJsonKind kind, string expected)
    {
        if (node.Kind == kind)
        {
            return true;
        }

        Problem(path, $"must be {expected}, not {node.TypeName}", node);
        return false;
    }

    private T? ReadEnum<T>(LocatedJson node, string path, Func<string, T?> parse, string expected)
        where T : struct
    {
        if (node.Kind == LocatedJsonKind.String && parse(node.Text!) is { } value)
        {
            return value;
        }

        Problem(path, $"must be {expected}, not {Describe(node)}", node);
        return null;
    }

    private static string Describe(LocatedJson node) => node.Kind switch
    {
        LocatedJsonKind.String => "\"" + node.Text + "\"",
        LocatedJsonKind.Number => node.Text!,
        _ => node.TypeName,
    };

    private static DefaultAction? ParseDefault(string text) => text switch
    {
        "allow" => DefaultAction.Allow,
        "deny" => DefaultAction.Deny,
        _ => null,
    };

    private static RuleAction? ParseAction(string text) => text switch
    {
        "allow" => RuleAction.Allow,
        "deny" => RuleAction.Deny,
        "hide" => RuleAction.Hide,
        "approve" => RuleAction.Approve,
        _ => null,
    };

    private static LimitScope? ParseScope(string text) => text switch
    {
        "grant" => LimitScope.Grant,
        "server" => LimitScope.Server,
        "session" => LimitScope.Session,
        _ => null,
    };

    private static StoreErrorMode? ParseStoreError(string text) => text switch
    {
        "deny" => StoreErrorMode.Deny,
        "allow" => StoreErrorMode.Allow,
        _ => null,
    };

    internal static ConditionOperator? ParseOperator(string text) => text switch
    {
        "eq" => ConditionOperator.Eq,
        "neq" => ConditionOperator.Neq,
        "in" => ConditionOperator.In,
        "not_in" => ConditionOperator.NotIn,
        "lt" => ConditionOperator.Lt,
        "lte" => ConditionOperator.Lte,
        "gt" => ConditionOperator.Gt,
        "gte" => ConditionOperator.Gte,
        "regex" => ConditionOperator.Regex,
        "contains" => ConditionOperator.Contains,
        "exists" => ConditionOperator.Exists,
        _ => null,
    };

    internal static string OperatorName(ConditionOperator op) => op switch
    {
        ConditionOperator.Eq => "eq",
        ConditionOperator.Neq => "neq",
        ConditionOperator.In => "in",
        ConditionOperator.NotIn => "not_in",
        ConditionOperator.Lt => "lt",
        ConditionOperator.Lte => "lte",
        ConditionOperator.Gt => "gt",
        ConditionOperator.Gte => "gte",
        ConditionOperator.Regex => "regex",
        ConditionOperator.Contains => "contains",
        _ => "exists",
    };

    internal static string ScopeName(LimitScope scope) => scope switch
    {
        LimitScope.Grant => "grant",
        LimitScope.Server => "server",
        _ => "session",
    };
}

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
internal sealed partial class PolicyParser
{
    /// <summary>Longest counter name; counters become part of store keys.</summary>
    public const int MaxCounterLength = 128;

    /// <summary>Longest approval timeout accepted; approvals are meant for a person at a keyboard.</summary>
    public static readonly TimeSpan MaxApprovalTimeout = TimeSpan.FromDays(7);

    private static readonly string[] DocumentFields = ["version", "default", "hide", "all_tools", "tools", "mode", "resources", "prompts"];
    private static readonly string[] EntryRuleFields = ["action", "reason", "limits"];

    /// <summary>Longest resource URI a <c>resources</c> key may be; longer ones are no URI a server lists.</summary>
    public const int MaxResourceKeyLength = 2048;
    private static readonly string[] AllToolsFields = ["limits", "mode", "validate_arguments"];
    private static readonly string[] RuleFields = ["action", "reason", "require", "deny_if", "limits", "approval", "mode", "validate_arguments"];
    private static readonly string[] ConditionFields = ["path", "op", "value"];
    private static readonly string[] LimitFields = ["counter", "window", "max", "scope", "increment_from", "on_store_error", "mode"];
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
            defaultAction = ReadEnum(defaultNode, "default", PolicyVocabulary.Defaults) ?? DefaultAction.Deny;
        }

        var documentMode = ReadMode(root, "mode", PolicyMode.Enforce);

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
                        Problem(path, $"invalid tool name {Describe(item)}: {ToolName.Rule} (optionally ending in *)", item);
                    }
                }
            }

            hide = names.ToImmutable();
        }

        var allToolsLimits = ImmutableArray<PolicyLimit>.Empty;
        var validateAll = false;
        if (root["all_tools"] is { } allTools && ExpectObject(allTools, "all_tools", AllToolsFields))
        {
            allToolsLimits = ReadLimits(allTools["limits"], "all_tools.limits", ReadMode(allTools, "all_tools.mode", documentMode));
            validateAll = ReadBoolean(allTools["validate_arguments"], "all_tools.validate_arguments") ?? false;
        }

        var tools = ImmutableArray.CreateBuilder<ToolRule>();
        if (root["tools"] is { } toolsNode && ExpectKind(toolsNode, "tools", LocatedJsonKind.Object, "an object mapping tool names to rules"))
        {
            foreach (var property in toolsNode.Properties)
            {
                var path = PolicyPath.Member("tools", property.Name);
                if (!ToolName.IsValidPattern(property.Name))
                {
                    Problem(path, $"invalid tool name \"{property.Name}\": {ToolName.Rule} (optionally ending in *)", property.Line, property.Column);
                }

                if (ReadRule(property.Name, property.Value, path, documentMode) is { } rule)
                {
                    tools.Add(rule);
                }
            }
        }

        var resources = ReadEntries(root["resources"], "resources", "resource URIs", documentMode, IsValidResourceKey,
            $"a resource URI (1-{MaxResourceKeyLength} characters, no control characters, * only at the end)");
        var prompts = ReadEntries(root["prompts"], "prompts", "prompt names", documentMode, static k => ToolName.IsValidPattern(k),
            $"{ToolName.Rule} (optionally ending in *)");
        return new PolicyDocument(defaultAction, hide, allToolsLimits, tools.ToImmutable(), documentMode, validateAll, resources, prompts);
    }

    /// <summary>
    /// A <c>resources</c> or <c>prompts</c> section (issue 16): keys to rules of <c>action</c> (allow, deny or
    /// hide; approvals and conditions are for tools), <c>reason</c> and <c>limits</c>. Null when absent.
    /// </summary>
    private ImmutableArray<ToolRule>? ReadEntries(LocatedJson? node, string section, string keys, PolicyMode documentMode, Func<string, bool> validKey, string rule)
    {
        if (node is null || !ExpectKind(node, section, LocatedJsonKind.Object, $"an object mapping {keys} to rules"))
        {
            return null;
        }

        var rules = ImmutableArray.CreateBuilder<ToolRule>();
        foreach (var property in node.Properties)
        {
            var path = PolicyPath.Member(section, property.Name);
            if (!validKey(property.Name))
            {
                Problem(path, $"invalid key \"{(property.Name.Length > 64 ? property.Name[..64] + "..." : property.Name)}\": {rule}", property.Line, property.Column);
            }

            if (!ExpectObject(property.Value, path, EntryRuleFields))
            {
                continue;
            }

            var action = RuleAction.Allow;
            if (property.Value["action"] is { } actionNode)
            {
                action = ReadEnum(actionNode, path + ".action", PolicyVocabulary.Actions) ?? RuleAction.Allow;
                if (action == RuleAction.Approve)
                {
                    Problem(path + ".action", "\"approve\" applies to tools only; use allow, deny or hide", actionNode);
                }
            }

            string? reason = null;
            if (property.Value["reason"] is { } reasonNode && ExpectKind(reasonNode, path + ".reason", LocatedJsonKind.String, "a string"))
            {
                reason = reasonNode.Text;
            }

            var limits = ReadLimits(property.Value["limits"], path + ".limits", documentMode);
            rules.Add(new ToolRule(property.Name, action, reason, [], [], limits, null, documentMode));
        }

        return rules.ToImmutable();
    }

    private static bool IsValidResourceKey(string key)
    {
        var star = key.IndexOf('*');
        return key.Length is > 0 and <= MaxResourceKeyLength &&
            (star < 0 || star == key.Length - 1) &&
            !key.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !key.Contains('\u007f');
    }

    private ToolRule? ReadRule(string key, LocatedJson node, string path, PolicyMode documentMode)
    {
        if (!ExpectObject(node, path, RuleFields))
        {
            return null;
        }

        var action = RuleAction.Allow;
        if (node["action"] is { } actionNode)
        {
            action = ReadEnum(actionNode, path + ".action", PolicyVocabulary.Actions) ?? RuleAction.Allow;
        }

        string? reason = null;
        if (node["reason"] is { } reasonNode && ExpectKind(reasonNode, path + ".reason", LocatedJsonKind.String, "a string"))
        {
            reason = reasonNode.Text;
        }

        var require = ReadConditions(node["require"], path + ".require");
        var denyIf = ReadConditions(node["deny_if"], path + ".deny_if");
        var mode = ReadMode(node, path + ".mode", documentMode);
        var limits = ReadLimits(node["limits"], path + ".limits", mode);

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

        var validate = ReadBoolean(node["validate_arguments"], path + ".validate_arguments");
        return new ToolRule(key, action, reason, require, denyIf, limits, approval, mode, validate);
    }

    /// <summary>The <c>mode</c> field of <paramref name="node"/>, or <paramref name="inherited"/> when absent.</summary>
    private PolicyMode ReadMode(LocatedJson node, string path, PolicyMode inherited) =>
        node["mode"] is { } modeNode ? ReadEnum(modeNode, path, PolicyVocabulary.Modes) ?? inherited : inherited;

    private ApprovalSettings? ReadApproval(LocatedJson node, string path)
    {
        if (!ExpectObject(node, path, ApprovalFields))
        {
            return null;
        }

        var includeArguments = ReadBoolean(node["include_arguments"], path + ".include_arguments") ?? false;

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

    /// <summary>The value of an optional true/false field; null when absent or not a boolean (then a problem).</summary>
    private bool? ReadBoolean(LocatedJson? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind is LocatedJsonKind.True or LocatedJsonKind.False)
        {
            return node.Kind == LocatedJsonKind.True;
        }

        Problem(path, $"must be true or false, not {node.TypeName}", node);
        return null;
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

    private T? ReadEnum<T>(LocatedJson node, string path, WireNames<T> names)
        where T : struct, Enum
    {
        if (node.Kind == LocatedJsonKind.String && names.Parse(node.Text!) is { } value)
        {
            return value;
        }

        Problem(path, $"must be {names.Expected}, not {Describe(node)}", node);
        return null;
    }

    private static string Describe(LocatedJson node) => node.Kind switch
    {
        LocatedJsonKind.String => "\"" + node.Text + "\"",
        LocatedJsonKind.Number => node.Text!,
        _ => node.TypeName,
    };
}

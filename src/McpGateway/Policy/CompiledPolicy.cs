using System.Collections.Frozen;
using System.Collections.Immutable;
using McpGateway.Policy.Evaluation;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>
/// The immutable, evaluation-ready form of a <see cref="PolicyDocument"/>. Built once when a policy is
/// loaded; <see cref="Evaluate"/> then does no parsing, no regex construction and, for calls that carry no
/// limit, no allocation at all.
/// </summary>
/// <remarks>
/// Order of evaluation (issue 2): invalid tool name, then hide, then the rule's deny action, then its
/// conditions (<c>require</c> in order, then <c>deny_if</c> in order), then approve; the limits of every
/// call that is otherwise allowed or approved are attached for the caller to reserve.
/// </remarks>
internal sealed class CompiledPolicy
{
    private readonly RuleTable _rules;
    private readonly FrozenSet<string> _hiddenExact;
    private readonly (string Prefix, int Index)[] _hiddenPrefixes;
    private readonly PolicyDecision[] _hiddenByEntry;
    private readonly CompiledLimit[] _defaultLimits;
    private readonly PolicyDecision _invalidName;
    private readonly PolicyDecision _defaultDeny;
    private readonly PolicyDecision _defaultAllow;

    /// <param name="document">The document to evaluate.</param>
    /// <param name="enforcedOnly">Leave shadowed limits out (the enforced view); their paths keep their places.</param>
    private CompiledPolicy(PolicyDocument document, bool enforcedOnly = false)
    {
        Document = document;

        _rules = new RuleTable(document.Tools.Select(rule =>
            new CompiledRule(rule, PolicyPath.Member("tools", rule.Key), document.AllToolsLimits, enforcedOnly, document.ValidateAllArguments)));

        var hiddenExact = new HashSet<string>(StringComparer.Ordinal);
        var hiddenPrefixes = new List<(string Prefix, int Index)>();
        for (var i = 0; i < document.Hide.Length; i++)
        {
            var entry = document.Hide[i];
            if (entry.EndsWith('*'))
            {
                hiddenPrefixes.Add((entry[..^1], i));
            }
            else
            {
                hiddenExact.Add(entry);
            }
        }

        _hiddenExact = hiddenExact.ToFrozenSet(StringComparer.Ordinal);

        // The entry named as the rule follows the tools rule: exact beats prefix (FindHidden checks exact names
        // first), a longer prefix beats a shorter one, and the first of equals wins (the sort is stable).
        _hiddenPrefixes = [.. hiddenPrefixes.OrderByDescending(p => p.Prefix.Length)];
        _hiddenByEntry = [.. document.Hide.Select((entry, i) => new PolicyDecision(DecisionKind.Hide, $"hide[{i}]", "this tool is not available"))];
        _defaultLimits = CompiledRule.MergeLimits(document.AllToolsLimits, [], "default", enforcedOnly);
        _invalidName = new PolicyDecision(DecisionKind.Deny, "tool_name", "the tool name is not a valid MCP tool name (1-128 characters of A-Z a-z 0-9 _ . -)");
        _defaultDeny = new PolicyDecision(DecisionKind.Deny, "default", "this tool is not allowed by the policy (default: deny)");
        _defaultAllow = new PolicyDecision(DecisionKind.Allow, "default", null, validateArguments: document.ValidateAllArguments ? "all_tools.validate_arguments" : null);
        HiddenAtCall = document.Default == DefaultAction.Deny ? _defaultDeny : new PolicyDecision(DecisionKind.Deny, "default", "unknown tool");
        HidesTools = document.Hide.Length > 0 || document.Tools.Any(rule => rule.Action == RuleAction.Hide);
        Resources = new CompiledEntries(document.ResourceRules, "resources", "resource", document.Default, enforcedOnly, judgesUris: true);
        Prompts = new CompiledEntries(document.PromptRules, "prompts", "prompt", document.Default, enforcedOnly);
    }

    /// <summary>The <c>resources</c> section: governs resources/read, resources/subscribe and resource lists (issue 16).</summary>
    public CompiledEntries Resources { get; }

    /// <summary>The <c>prompts</c> section: governs prompts/get, completion/complete for a prompt, and prompt lists (issue 16).</summary>
    public CompiledEntries Prompts { get; }

    /// <summary>The document this snapshot was compiled from.</summary>
    public PolicyDocument Document { get; }

    /// <summary>
    /// The document with every shadowed element enforced, when it has any (issue 17): evaluated after an
    /// enforced decision permits a call, to tell what the shadowed rules would have done.
    /// </summary>
    public CompiledPolicy? Shadow { get; private init; }

    /// <summary>The document as written, shadowed elements included (for the mode audit and the CLI).</summary>
    public PolicyDocument Source { get; private init; } = null!;

    /// <summary>
    /// What the client and the decision line see when a hidden tool is called: the decision an unknown tool gets,
    /// so that a call cannot tell a hidden tool from one that does not exist (issue 16). <see cref="Evaluate"/>
    /// still names the hide rule, for <c>mcpgw policy check</c> and the unit tests.
    /// </summary>
    public PolicyDecision HiddenAtCall { get; }

    /// <summary>
    /// Whether any tool is hidden (shadowed hides do not hide). Then a call to a tool the server does not list is
    /// answered as a hidden one, since the server's own answer for an unknown tool is not the gateway's (issue 16).
    /// </summary>
    public bool HidesTools { get; }

    public static CompiledPolicy Compile(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.HasShadow)
        {
            return new CompiledPolicy(document) { Source = document };
        }

        return new CompiledPolicy(ShadowView.Enforced(document), enforcedOnly: true)
        {
            Source = document,
            Shadow = new CompiledPolicy(document) { Source = document },
        };
    }

    /// <summary>Decides what happens to <paramref name="call"/> at <paramref name="now"/>.</summary>
    public PolicyDecision Evaluate(in ToolCall call, DateTimeOffset now)
    {
        var tool = call.Tool;
        if (!ToolName.IsValid(tool))
        {
            return _invalidName;
        }

        if (FindHidden(tool) is { } hidden)
        {
            return hidden;
        }

        var rule = FindRule(tool);
        if (rule is null)
        {
            return Document.Default == DefaultAction.Deny
                ? _defaultDeny
                : WithLimits(_defaultAllow, _defaultLimits, call, now);
        }

        switch (rule.Source.Action)
        {
            case RuleAction.Hide:
                return rule.Hidden;
            case RuleAction.Deny:
                return rule.Denied;
        }

        var arguments = call.Arguments;
        for (var i = 0; i < rule.Require.Length; i++)
        {
            switch (rule.Require[i].Evaluate(arguments))
            {
                case ConditionResult.False:
                    return rule.RequireFailed[i];
                case ConditionResult.WrongType:
                    return rule.RequireWrongType[i];
            }
        }

        for (var i = 0; i < rule.DenyIf.Length; i++)
        {
            switch (rule.DenyIf[i].Evaluate(arguments))
            {
                case ConditionResult.True:
                    return rule.DenyIfMatched[i];
                case ConditionResult.WrongType:
                    return rule.DenyIfWrongType[i];
            }
        }

        return WithLimits(rule.Permitted, rule.Limits, call, now);
    }

    /// <summary>
    /// Whether <paramref name="tool"/> appears in <c>tools/list</c>: not hidden, and either listed with an
    /// action other than hide or left to <c>default: allow</c>. Tools with <c>action: deny</c> stay visible.
    /// </summary>
    public bool IsListed(string tool)
    {
        if (!ToolName.IsValid(tool) || FindHidden(tool) is not null)
        {
            return false;
        }

        return FindRule(tool) is { } rule
            ? rule.Source.Action != RuleAction.Hide
            : Document.Default == DefaultAction.Allow;
    }

    /// <summary>
    /// The hide entry or the rule that governs <paramref name="tool"/> (neither: the default), without judging the
    /// call: <c>mcpgw policy diff</c> replays logged calls whose argument values it never has, so it must see which
    /// conditions and limits a decision would need before asking <see cref="Evaluate"/> for it.
    /// </summary>
    internal (PolicyDecision? Hidden, CompiledRule? Rule) Locate(string tool) =>
        FindHidden(tool) is { } hidden ? (hidden, null) : (null, FindRule(tool));

    /// <summary>The <c>all_tools</c> limits a call left to <c>default: allow</c> reserves.</summary>
    internal IReadOnlyList<CompiledLimit> DefaultLimits => _defaultLimits;

    /// <summary>Whether the policy names <paramref name="tool"/> exactly (a tools key or a hide entry), not by a prefix or the default.</summary>
    public bool NamesTool(string tool) => _rules.NamesExactly(tool) || _hiddenExact.Contains(tool);

    private PolicyDecision? FindHidden(string tool)
    {
        if (_hiddenExact.Count > 0 && _hiddenExact.Contains(tool))
        {
            return _hiddenByEntry[Document.Hide.IndexOf(tool)];
        }

        foreach (var (prefix, index) in _hiddenPrefixes)
        {
            if (tool.StartsWith(prefix, StringComparison.Ordinal))
            {
                return _hiddenByEntry[index];
            }
        }

        return null;
    }

    private CompiledRule? FindRule(string tool) => _rules.Find(tool);

    internal static PolicyDecision WithLimits(PolicyDecision permitted, CompiledLimit[] limits, in ToolCall call, DateTimeOffset now)
    {
        if (limits.Length == 0)
        {
            return permitted;
        }

        var seconds = now.ToUnixTimeSeconds();
        var reservations = ImmutableArray.CreateBuilder<LimitReservation>(limits.Length);
        foreach (var limit in limits)
        {
            if (!limit.TryReserve(call, seconds, out var reservation))
            {
                return limit.BadIncrement;
            }

            reservations.Add(reservation);
        }

        // A fixed order across all callers means two calls that need the same counters never take them
        // in opposite orders (issue 4's all-or-nothing reservation depends on it).
        reservations.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return permitted.WithLimits(reservations.MoveToImmutable());
    }
}

using System.Collections.Immutable;
using McpGateway.Policy.Evaluation;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>
/// A <c>resources</c> or <c>prompts</c> section compiled for evaluation (issue 16): an exact key wins, then the
/// longest matching prefix, then the document's <c>default</c>, as for tools. Entries are allow, deny or hide,
/// with limits; a hidden entry is refused at a read exactly as one the server does not have.
/// </summary>
internal sealed class CompiledEntries
{
    private readonly RuleTable _rules;
    private readonly RuleTable _unhidden;
    private readonly DefaultAction _default;
    private readonly PolicyDecision _defaultDeny;
    private readonly PolicyDecision _defaultAllow;
    private readonly bool _judgesUris;

    private static readonly PolicyDecision AmbiguousUri = new(DecisionKind.Deny, ResourceUri.Rule, ResourceUri.Reason);

    // judgesUris: the keys are resource URIs, so while any key exists a read by a URI that is not in normal form
    // is refused, since it could dodge one (ResourceUri).
    public CompiledEntries(ImmutableArray<ToolRule> rules, string section, string noun, DefaultAction @default, bool enforcedOnly, bool judgesUris = false)
    {
        _judgesUris = judgesUris && !rules.IsEmpty;
        _rules = new RuleTable(rules.Select(rule => new CompiledRule(rule, PolicyPath.Member(section, rule.Key), [], enforcedOnly, noun: noun)));
        _unhidden = new RuleTable(rules.Where(rule => rule.Action != RuleAction.Hide).Select(rule => new CompiledRule(rule, PolicyPath.Member(section, rule.Key), [], enforcedOnly, noun: noun)));
        _default = @default;
        _defaultDeny = new PolicyDecision(DecisionKind.Deny, "default", $"this {noun} is not allowed by the policy (default: deny)");
        _defaultAllow = new PolicyDecision(DecisionKind.Allow, "default", null);
    }

    /// <summary>Decides a read of <paramref name="call"/>'s <see cref="ToolCall.Tool"/> (the URI or prompt name), limits attached.</summary>
    public PolicyDecision Evaluate(in ToolCall call, DateTimeOffset now)
    {
        if (_judgesUris && !ResourceUri.IsInNormalForm(call.Tool))
        {
            return AmbiguousUri;
        }

        var rule = Find(call.Tool);

        // A deny or hide key also covers its URI with a query appended, which a server may ignore and read the
        // resource the key names by; only an exact key for the URI with its query is more specific.
        if (_judgesUris && call.Tool.IndexOf('?') is > 0 and var query && !_rules.NamesExactly(call.Tool) &&
            Find(call.Tool[..query]) is { Source.Action: RuleAction.Deny or RuleAction.Hide } covering &&
            rule?.Source.Action is not (RuleAction.Deny or RuleAction.Hide))
        {
            rule = covering;
        }

        if (rule is null)
        {
            return _default == DefaultAction.Deny ? _defaultDeny : _defaultAllow;
        }

        return rule.Source.Action switch
        {
            RuleAction.Hide => rule.Hidden,
            RuleAction.Deny => rule.Denied,
            _ => CompiledPolicy.WithLimits(rule.Permitted, rule.Limits, call, now),
        };
    }

    /// <summary>
    /// What a read of a hidden entry gets: the decision a name the server does not have would get at its place, as if
    /// no hide entry existed (a prefix allow, a prefix deny, or the default), so that the two answer alike (issue 16).
    /// </summary>
    public PolicyDecision EvaluateAsUnknown(in ToolCall call, DateTimeOffset now)
    {
        var rule = _unhidden.Find(call.Tool);
        if (rule is null)
        {
            return _default == DefaultAction.Deny ? _defaultDeny : _defaultAllow;
        }

        return rule.Source.Action == RuleAction.Deny ? rule.Denied : CompiledPolicy.WithLimits(rule.Permitted, rule.Limits, call, now);
    }

    /// <summary>Whether a list shows <paramref name="name"/>: not hidden, and listed or left to <c>default: allow</c>. Denied entries stay visible.</summary>
    public bool IsListed(string name) =>
        Find(name) is { } rule ? rule.Source.Action != RuleAction.Hide : _default == DefaultAction.Allow;

    private CompiledRule? Find(string name) => _rules.Find(name);
}

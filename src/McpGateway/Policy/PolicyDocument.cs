using System.Collections.Immutable;

namespace McpGateway.Policy;

/// <summary>
/// A validated policy document (format v1, the JSON PolicyLayer users already write). Produced only by
/// <see cref="PolicyParser"/>, so every instance is known to be valid; <see cref="CompiledPolicy"/> turns it
/// into the snapshot that evaluates calls.
/// </summary>
internal sealed record PolicyDocument(
    DefaultAction Default,
    ImmutableArray<string> Hide,
    ImmutableArray<PolicyLimit> AllToolsLimits,
    ImmutableArray<ToolRule> Tools,
    PolicyMode Mode = PolicyMode.Enforce,
    bool ValidateAllArguments = false,
    ImmutableArray<ToolRule>? Resources = null,
    ImmutableArray<ToolRule>? Prompts = null)
{
    /// <summary>
    /// The <c>resources</c> section (issue 16; a resource URI or a prefix ending in <c>*</c> to a rule of
    /// allow, deny or hide with limits), null when the document has none: then every resource follows
    /// <see cref="Default"/>. <see cref="Prompts"/> is the same for prompt names.
    /// </summary>
    public ImmutableArray<ToolRule> ResourceRules => Resources ?? [];

    /// <summary>The <c>prompts</c> section's rules (none when it is absent).</summary>
    public ImmutableArray<ToolRule> PromptRules => Prompts ?? [];

    /// <summary>True when any rule, limit or the document itself is shadowed.</summary>
    public bool HasShadow =>
        Mode == PolicyMode.Shadow ||
        AllToolsLimits.Any(l => l.Mode == PolicyMode.Shadow) ||
        Tools.Any(t => t.Mode == PolicyMode.Shadow || t.Limits.Any(l => l.Mode == PolicyMode.Shadow));
}

/// <summary>What happens to tools the document does not list.</summary>
internal enum DefaultAction
{
    Allow,
    Deny,
}

/// <summary>The action a tool rule takes.</summary>
internal enum RuleAction
{
    Allow,
    Deny,
    Hide,
    Approve,
}

/// <summary>
/// One entry of <c>tools</c>. <see cref="Key"/> is an exact tool name or a prefix ending in <c>*</c>;
/// <see cref="Mode"/> is the effective mode (the document's when the rule does not say).
/// <see cref="ValidateArguments"/> is the rule's <c>validate_arguments</c> as written (null: <c>all_tools</c> decides).
/// </summary>
internal sealed record ToolRule(
    string Key,
    RuleAction Action,
    string? Reason,
    ImmutableArray<PolicyCondition> Require,
    ImmutableArray<PolicyCondition> DenyIf,
    ImmutableArray<PolicyLimit> Limits,
    ApprovalSettings? Approval,
    PolicyMode Mode = PolicyMode.Enforce,
    bool? ValidateArguments = null)
{
    /// <summary>True when <see cref="Key"/> ends in <c>*</c> and matches by prefix.</summary>
    public bool IsPrefix => Key.EndsWith('*');
}

/// <summary>Operators of a condition (the vocabulary of PolicyLayer/Intercept).</summary>
internal enum ConditionOperator
{
    Eq,
    Neq,
    In,
    NotIn,
    Lt,
    Lte,
    Gt,
    Gte,
    Regex,
    Contains,
    Exists,
}

/// <summary>
/// <c>{ "path": "args.a.b", "op": OP, "value": V }</c>. <see cref="Value"/> holds the JSON value as written
/// (a scalar, or an array of scalars for <c>in</c>/<c>not_in</c>), already checked against the operator.
/// </summary>
internal sealed record PolicyCondition(string Path, ConditionOperator Op, PolicyValue Value);

/// <summary>Where a limit's counter is kept: per grant, per server, or per MCP session.</summary>
internal enum LimitScope
{
    Grant,
    Server,
    Session,
}

/// <summary>What a limit does when the counter store cannot answer.</summary>
internal enum StoreErrorMode
{
    Deny,
    Allow,
}

/// <summary>
/// A fixed-window rate limit: at most <see cref="Max"/> per <see cref="WindowSeconds"/>. <see cref="Mode"/> is
/// the effective mode, inherited from the rule or <c>all_tools</c> (and the document) when not written.
/// </summary>
internal sealed record PolicyLimit(
    string Counter,
    long WindowSeconds,
    long Max,
    LimitScope Scope,
    string? IncrementFrom,
    StoreErrorMode OnStoreError,
    PolicyMode Mode = PolicyMode.Enforce);

/// <summary>
/// Settings of <c>"action": "approve"</c>. <see cref="IncludeArguments"/> (an extension) lets the approval
/// webhook carry the call's argument values; by default it carries only their keys and hash.
/// </summary>
internal sealed record ApprovalSettings(TimeSpan Timeout, bool IncludeArguments = false)
{
    /// <summary>Fifteen minutes, as issue 7 specifies.</summary>
    public static readonly ApprovalSettings Default = new(TimeSpan.FromMinutes(15));
}

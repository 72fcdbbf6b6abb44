namespace McpGateway.Policy;

/// <summary>The policy format's enumerated words (format v1), each table used both to read and to write.</summary>
internal static class PolicyVocabulary
{
    public static readonly WireNames<DefaultAction> Defaults = new(
        ("allow", DefaultAction.Allow),
        ("deny", DefaultAction.Deny));

    public static readonly WireNames<RuleAction> Actions = new(
        ("allow", RuleAction.Allow),
        ("deny", RuleAction.Deny),
        ("hide", RuleAction.Hide),
        ("approve", RuleAction.Approve));

    public static readonly WireNames<LimitScope> Scopes = new(
        ("grant", LimitScope.Grant),
        ("server", LimitScope.Server),
        ("session", LimitScope.Session));

    public static readonly WireNames<PolicyMode> Modes = new(
        ("enforce", PolicyMode.Enforce),
        ("shadow", PolicyMode.Shadow));

    public static readonly WireNames<StoreErrorMode> StoreErrorModes = new(
        ("deny", StoreErrorMode.Deny),
        ("allow", StoreErrorMode.Allow));

    public static readonly WireNames<ConditionOperator> Operators = new(
        ("eq", ConditionOperator.Eq),
        ("neq", ConditionOperator.Neq),
        ("in", ConditionOperator.In),
        ("not_in", ConditionOperator.NotIn),
        ("lt", ConditionOperator.Lt),
        ("lte", ConditionOperator.Lte),
        ("gt", ConditionOperator.Gt),
        ("gte", ConditionOperator.Gte),
        ("regex", ConditionOperator.Regex),
        ("contains", ConditionOperator.Contains),
        ("exists", ConditionOperator.Exists));
}

using System.Collections.Immutable;

namespace McpGateway.Policy.Evaluation;

/// <summary>
/// A tool rule with everything it can answer prepared up front: the denials for each condition and the
/// allow/approve decision when no limit applies are built once, so most evaluations allocate nothing.
/// </summary>
internal sealed class CompiledRule
{
    public CompiledRule(ToolRule rule, string path, ImmutableArray<PolicyLimit> allToolsLimits, bool enforcedOnly = false, bool validateAll = false, string noun = "tool")
    {
        Source = rule;
        Path = path;
        Require = [.. rule.Require.Select(c => new CompiledCondition(c))];
        DenyIf = [.. rule.DenyIf.Select(c => new CompiledCondition(c))];

        RequireFailed = [.. Require.Select((c, i) => Deny($"{path}.require[{i}]", rule.Reason ?? $"requirement not met: {c.Description}"))];
        DenyIfMatched = [.. DenyIf.Select((c, i) => Deny($"{path}.deny_if[{i}]", rule.Reason ?? $"denied because {c.Description}"))];
        RequireWrongType = [.. Require.Select((c, i) => Deny($"{path}.require[{i}]", WrongTypeReason(c)))];
        DenyIfWrongType = [.. DenyIf.Select((c, i) => Deny($"{path}.deny_if[{i}]", WrongTypeReason(c)))];

        Limits = MergeLimits(allToolsLimits, rule.Limits, path, enforcedOnly);

        // A prefix rule's decisions are shared by every tool it matches, so they name the pattern.
        var subject = rule.IsPrefix ? $"{noun}s matching \"{rule.Key}\" are" : $"{noun} \"{rule.Key}\" is";
        Denied = Deny(path, rule.Reason ?? $"{subject} denied by policy");
        Hidden = new PolicyDecision(DecisionKind.Hide, path, $"{subject} not available");
        // The rule's own validate_arguments wins over all_tools', so a rule can opt one tool out.
        var validate = rule.ValidateArguments switch
        {
            true => path + ".validate_arguments",
            null when validateAll => "all_tools.validate_arguments",
            _ => null,
        };
        Permitted = rule.Action == RuleAction.Approve
            ? new PolicyDecision(DecisionKind.Approve, path, rule.Reason ?? "this call needs a human approval", approval: rule.Approval, validateArguments: validate)
            : new PolicyDecision(DecisionKind.Allow, path, null, validateArguments: validate);
    }

    public ToolRule Source { get; }
    public string Path { get; }
    public CompiledCondition[] Require { get; }
    public CompiledCondition[] DenyIf { get; }
    public PolicyDecision[] RequireFailed { get; }
    public PolicyDecision[] DenyIfMatched { get; }
    public PolicyDecision[] RequireWrongType { get; }
    public PolicyDecision[] DenyIfWrongType { get; }
    public CompiledLimit[] Limits { get; }
    public PolicyDecision Denied { get; }
    public PolicyDecision Hidden { get; }

    /// <summary>Allow or approve, before limits are attached.</summary>
    public PolicyDecision Permitted { get; }

    private static PolicyDecision Deny(string rule, string reason) => new(DecisionKind.Deny, rule, reason);

    private static string WrongTypeReason(CompiledCondition condition) => condition.Source.Op switch
    {
        ConditionOperator.Lt or ConditionOperator.Lte or ConditionOperator.Gt or ConditionOperator.Gte =>
            $"{condition.PathText} must be a number ({condition.Description})",
        ConditionOperator.Regex => $"{condition.PathText} must be a string ({condition.Description})",
        ConditionOperator.Eq or ConditionOperator.Neq or ConditionOperator.In or ConditionOperator.NotIn =>
            $"{condition.PathText} must be a string, a number or a boolean ({condition.Description})",
        _ => $"{condition.PathText} must be a string or an array ({condition.Description})",
    };

    /// <summary>
    /// <c>all_tools</c> limits first, then the rule's own. A counter named twice in one scope is one budget
    /// (the parser guarantees the declarations agree), so a call counts against it once. With
    /// <paramref name="enforcedOnly"/>, shadowed limits are left out but the others keep their indices, so a
    /// decision names the limit as the document numbers it.
    /// </summary>
    internal static CompiledLimit[] MergeLimits(ImmutableArray<PolicyLimit> allTools, ImmutableArray<PolicyLimit> own, string path, bool enforcedOnly = false)
    {
        var merged = new List<CompiledLimit>();
        var seen = new HashSet<(string, LimitScope)>();
        for (var i = 0; i < allTools.Length; i++)
        {
            if (!(enforcedOnly && allTools[i].Mode == PolicyMode.Shadow) && seen.Add((allTools[i].Counter, allTools[i].Scope)))
            {
                merged.Add(new CompiledLimit(allTools[i], $"all_tools.limits[{i}]"));
            }
        }

        for (var i = 0; i < own.Length; i++)
        {
            if (!(enforcedOnly && own[i].Mode == PolicyMode.Shadow) && seen.Add((own[i].Counter, own[i].Scope)))
            {
                merged.Add(new CompiledLimit(own[i], $"{path}.limits[{i}]"));
            }
        }

        return [.. merged];
    }
}

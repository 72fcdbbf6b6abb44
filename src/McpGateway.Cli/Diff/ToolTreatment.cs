using System.Collections.Immutable;
using System.Globalization;
using McpGateway.Enforcement;
using McpGateway.Policy;
using McpGateway.Policy.Evaluation;

namespace McpGateway.Cli.Diff;

/// <summary>
/// What a document does to the calls of one tool, before any call: the decision and the rule that makes it, the
/// conditions that can still deny, the limits that count, the approval's timeout. <see cref="Behaviour"/> leaves the
/// rule's path out, so that moving a tool from one rule to another that treats it alike is not a change.
/// </summary>
internal sealed record ToolTreatment(
    string Decision,
    string Rule,
    ImmutableArray<string> Conditions,
    ImmutableArray<string> Limits,
    double? ApprovalTimeoutSeconds)
{
    public string Behaviour => string.Join("\n", [Decision, .. Conditions, .. Limits, ApprovalTimeoutSeconds?.ToString(CultureInfo.InvariantCulture) ?? ""]);

    /// <summary>The treatment of <paramref name="probe"/>: a tool name, or a name only a prefix pattern matches.</summary>
    public static ToolTreatment Of(CompiledPolicy policy, string probe)
    {
        var (hidden, rule) = policy.Locate(probe);
        if (hidden is not null)
        {
            return Plain(hidden);
        }

        if (rule is null)
        {
            return Default(policy);
        }

        if (rule.Source.Action is RuleAction.Hide)
        {
            return Plain(rule.Hidden);
        }

        if (rule.Source.Action is RuleAction.Deny)
        {
            return Plain(rule.Denied);
        }

        return new ToolTreatment(
            PolicyResultWriter.DecisionName(rule.Permitted.Kind),
            rule.Path,
            [.. Validation(rule.Permitted), .. rule.Require.Select(c => "require " + c.Description), .. rule.DenyIf.Select(c => "deny_if " + c.Description)],
            [.. rule.Limits.Select(Describe)],
            rule.Permitted.Kind == DecisionKind.Approve ? (rule.Permitted.Approval ?? ApprovalSettings.Default).Timeout.TotalSeconds : null);
    }

    /// <summary>The treatment of a tool that no rule or hide entry names.</summary>
    public static ToolTreatment Default(CompiledPolicy policy) => policy.Document.Default == DefaultAction.Deny
        ? new ToolTreatment("deny", "default", [], [], null)
        : new ToolTreatment("allow", "default", policy.Document.ValidateAllArguments ? [Validated] : [], [.. policy.DefaultLimits.Select(Describe)], null);

    /// <summary><c>validate_arguments</c>, which can refuse a call the rule lets through: a treatment of its own.</summary>
    private const string Validated = "arguments checked against the tool's inputSchema";

    private static IEnumerable<string> Validation(PolicyDecision permitted) => permitted.ValidateArguments is null ? [] : [Validated];

    public string Text()
    {
        var text = $"{Decision} ({Rule})";
        var details = Conditions.Concat(Limits.Select(l => "limit " + l)).ToList();
        if (ApprovalTimeoutSeconds is { } timeout)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"approval expires after {timeout} s"));
        }

        return details.Count == 0 ? text : text + ": " + string.Join("; ", details);
    }

    private static ToolTreatment Plain(PolicyDecision decision) => new(PolicyResultWriter.DecisionName(decision.Kind), decision.Rule, [], [], null);

    private static string Describe(CompiledLimit limit)
    {
        var source = limit.Limit;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{source.Counter} at most {source.Max} per {source.WindowSeconds} s per {PolicyVocabulary.Scopes.NameOf(source.Scope)}");
        if (source.IncrementFrom is { } from)
        {
            text += ", counting " + from;
        }

        if (source.OnStoreError == StoreErrorMode.Allow)
        {
            text += ", allowed when the store is down";
        }

        return source.Mode == PolicyMode.Shadow ? text + " (shadow)" : text;
    }
}

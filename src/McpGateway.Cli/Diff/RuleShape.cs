using McpGateway.Policy;
using McpGateway.Policy.Evaluation;

namespace McpGateway.Cli.Diff;

/// <summary>
/// What a tool rule does to a call, without its key, path or reasons: its action, approval timeout, whether it checks
/// arguments against the tool's schema, and its conditions in order. Two rules of one shape give every call the same decision, whatever its argument values.
/// </summary>
internal static class RuleShape
{
    public static string Of(CompiledRule rule) =>
        string.Join(
            "\n",
            [
                PolicyVocabulary.Actions.NameOf(rule.Source.Action),
                rule.Source.Action == RuleAction.Approve ? (rule.Source.Approval ?? ApprovalSettings.Default).Timeout.ToString() : "",
                rule.Permitted.ValidateArguments is null ? "" : "validate_arguments",
                .. rule.Require.Select(c => "require " + c.Description),
                .. rule.DenyIf.Select(c => "deny_if " + c.Description),
            ]);
}

using McpGateway.Enforcement;
using McpGateway.Policy;

namespace McpGateway.Cli.Diff;

/// <summary>
/// What one document decides for one logged call: <c>allow</c>, <c>deny</c>, <c>hide</c> or <c>approve</c> and the
/// rule that decides, or <c>undecidable</c> with the rule and <see cref="Needs"/>, what the log would have to hold
/// to decide it (an argument's value, a session id, a counter's true use).
/// </summary>
internal sealed record ReplayVerdict(string Decision, string Rule, string? Needs = null)
{
    public const string UndecidableName = "undecidable";

    public bool IsUndecidable => Needs is not null;

    /// <summary>
    /// For an undecidable call: the deciding rule's conditions and action, and its limits with their counters' use so
    /// far. Two documents that give a call the same shape decide it alike whatever the log lacks.
    /// </summary>
    public string? Shape { get; init; }

    public static ReplayVerdict From(PolicyDecision decision) => new(PolicyResultWriter.DecisionName(decision.Kind), decision.Rule);

    public static ReplayVerdict Undecidable(string rule, string needs) => new(UndecidableName, rule, needs);
}

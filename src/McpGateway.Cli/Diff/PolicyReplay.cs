using System.Text.Json;
using McpGateway.Policy;
using McpGateway.Policy.Evaluation;

namespace McpGateway.Cli.Diff;

/// <summary>
/// Replays logged calls, in time order, against one document and its own counters. The decision itself always
/// comes from <see cref="CompiledPolicy.Evaluate"/>; this class only decides first whether the log holds what that
/// decision needs. A log keeps argument names, never values, so a condition or an <c>increment_from</c> that reads
/// an argument the call had cannot be judged, and is reported as undecidable rather than guessed. An argument the
/// call did not have is judged exactly: it is missing, and the evaluator knows what that means.
/// </summary>
/// <remarks>
/// Every counter starts at zero at the log's first line (a log that begins mid-window undercounts that window).
/// A counter that an undecidable call may have moved is unknown until its window ends, and so is every decision
/// that needs it.
/// </remarks>
internal sealed class PolicyReplay(CompiledPolicy policy)
{
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement;

    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);

    public CompiledPolicy Policy { get; } = policy;

    public ReplayVerdict Decide(LoggedCall logged)
    {
        var call = new ToolCall(logged.Grant, logged.Server, logged.Tool, NoArguments);
        var seconds = logged.Time.ToUnixTimeSeconds();

        // The log cuts tool names at 128 characters, so a longer (invalid) name can reach it looking valid.
        if (logged.Rule == "tool_name" && logged.Tool.Length == 128)
        {
            return ReplayVerdict.From(Policy.Evaluate(call with { Tool = logged.Tool + "?" }, logged.Time));
        }

        if (!ToolName.IsValid(logged.Tool))
        {
            return ReplayVerdict.From(Policy.Evaluate(call, logged.Time));
        }

        var (hidden, rule) = Policy.Locate(logged.Tool);
        IReadOnlyList<CompiledLimit> limits;
        if (hidden is not null || (rule is null && Policy.Document.Default == DefaultAction.Deny) ||
            rule?.Source.Action is RuleAction.Hide or RuleAction.Deny)
        {
            return ReplayVerdict.From(Policy.Evaluate(call, logged.Time));
        }

        if (rule is not null)
        {
            var (undecidable, passes) = JudgeConditions(rule, logged);
            if (undecidable is not null)
            {
                Forget(rule.Limits, call, seconds);
                return undecidable;
            }

            if (!passes)
            {
                return ReplayVerdict.From(Policy.Evaluate(call, logged.Time));
            }

            limits = rule.Limits;
        }
        else
        {
            limits = Policy.DefaultLimits;
        }

        // A call that would wait for a human counts nothing, so a counter it cannot name does not matter.
        var waitsForHuman = rule?.Source.Action == RuleAction.Approve && !logged.ApprovedByHuman;
        foreach (var limit in limits)
        {
            var needs = limit.Limit.Scope == LimitScope.Session && !waitsForHuman
                ? "the session id (a session-scoped limit; the log keeps none)"
                : limit.Limit.IncrementFrom is { } from && Reads(from, logged) ? $"increment_from {from}" : null;
            if (needs is not null)
            {
                Forget(limits, call, seconds);
                return ReplayVerdict.Undecidable(limit.Rule, needs);
            }
        }

        var decision = Policy.Evaluate(call, logged.Time);
        if (!decision.IsPermitted || decision.Limits.IsEmpty)
        {
            return ReplayVerdict.From(decision);
        }

        // An approval is asked for before any limit is counted; unless the log shows a human approved this very
        // call, it would wait for one, and a retry after the approval is a call of its own.
        if (decision.Kind == DecisionKind.Approve && !logged.ApprovedByHuman)
        {
            return ReplayVerdict.From(decision);
        }

        // The counter store checks in the decision's (ordinal key) order and names the first counter that is full.
        foreach (var reservation in decision.Limits)
        {
            if (_unknown.Contains(reservation.Key))
            {
                Forget(limits, call, seconds);
                return ReplayVerdict.Undecidable(reservation.Rule, $"counter \"{reservation.Limit.Counter}\" after an undecidable call");
            }

            if (_used.GetValueOrDefault(reservation.Key) + reservation.Increment > reservation.Limit.Max)
            {
                return new ReplayVerdict("deny", reservation.Rule);
            }
        }

        if (!logged.QuotaGivenBack)
        {
            foreach (var reservation in decision.Limits)
            {
                _used[reservation.Key] = _used.GetValueOrDefault(reservation.Key) + reservation.Increment;
            }
        }

        return ReplayVerdict.From(decision);
    }

    /// <summary>
    /// Walks the conditions in the evaluator's order: the first that reads an argument the call had makes the call
    /// undecidable; one that denies on missing arguments ends the walk with a decision the evaluator can give.
    /// </summary>
    private static (ReplayVerdict? Undecidable, bool Passes) JudgeConditions(CompiledRule rule, LoggedCall logged)
    {
        for (var i = 0; i < rule.Require.Length; i++)
        {
            var condition = rule.Require[i];
            if (Reads(condition.Source.Path, logged))
            {
                return (Undecidable(rule, $"{rule.Path}.require[{i}]", condition), false);
            }

            if (condition.Evaluate(NoArguments) != ConditionResult.True)
            {
                return (null, false);
            }
        }

        for (var i = 0; i < rule.DenyIf.Length; i++)
        {
            var condition = rule.DenyIf[i];
            if (Reads(condition.Source.Path, logged))
            {
                return (Undecidable(rule, $"{rule.Path}.deny_if[{i}]", condition), false);
            }

            if (condition.Evaluate(NoArguments) != ConditionResult.False)
            {
                return (null, false);
            }
        }

        return (null, true);
    }

    private static ReplayVerdict Undecidable(CompiledRule rule, string path, CompiledCondition condition) =>
        ReplayVerdict.Undecidable(path, condition.Description) with
        {
            Shape = rule.Limits.Length == 0 ? RuleShape.Of(rule) : null,
        };

    /// <summary>Whether <paramref name="path"/> (<c>args.a.b</c>) starts at an argument the call had.</summary>
    private static bool Reads(string path, LoggedCall logged)
    {
        var first = path["args.".Length..];
        var dot = first.IndexOf('.', StringComparison.Ordinal);
        return logged.ArgumentKeys.Contains(dot < 0 ? first : first[..dot], StringComparer.Ordinal);
    }

    /// <summary>The counters a call of unknown fate may have moved are unknown for the rest of their windows.</summary>
    private void Forget(IEnumerable<CompiledLimit> limits, in ToolCall call, long seconds)
    {
        foreach (var limit in limits)
        {
            _unknown.Add(limit.KeyAt(call, seconds));
        }
    }
}

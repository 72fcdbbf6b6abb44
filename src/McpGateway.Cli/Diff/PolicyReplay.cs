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

    // A counter an undecidable call may have moved has no known use; its history says which calls, of which shape,
    // moved it since then, so two replays whose histories agree hold the same true use.
    private readonly Dictionary<string, string> _unknown = new(StringComparer.Ordinal);
    private int _calls;

    public CompiledPolicy Policy { get; } = policy;

    public ReplayVerdict Decide(LoggedCall logged)
    {
        _calls++;
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
                var shaped = undecidable with { Shape = ShapeOf(rule, rule.Limits, call, seconds) };
                Forget(rule.Limits, call, seconds, shaped.Shape!);
                return shaped;
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
                var verdict = ReplayVerdict.Undecidable(limit.Rule, needs) with { Shape = ShapeOf(rule, limits, call, seconds) };
                Forget(limits, call, seconds, verdict.Shape!);
                return verdict;
            }
        }

        var decision = Policy.Evaluate(call, logged.Time);

        // validate_arguments judges the arguments against the tool's schema, before any approval or limit: the log
        // holds neither, so a call that reaches it is undecidable.
        if (decision.IsPermitted && decision.ValidateArguments is { } validation)
        {
            var verdict = ReplayVerdict.Undecidable(validation, "the tool's inputSchema and the argument values") with { Shape = ShapeOf(rule, limits, call, seconds) };
            Forget(limits, call, seconds, verdict.Shape!);
            return verdict;
        }

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
            if (_unknown.ContainsKey(reservation.Key))
            {
                var verdict = ReplayVerdict.Undecidable(reservation.Rule, $"counter \"{reservation.Limit.Counter}\" after an undecidable call")
                    with { Shape = ShapeOf(rule, limits, call, seconds) };
                Forget(limits, call, seconds, verdict.Shape!);
                return verdict;
            }

            if (_used.GetValueOrDefault(reservation.Key) + reservation.Increment > reservation.Limit.Max)
            {
                return new ReplayVerdict("deny", reservation.Rule);
            }
        }

        if (logged.CountedAgainstLimits)
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
                return (Undecidable($"{rule.Path}.require[{i}]", condition), false);
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
                return (Undecidable($"{rule.Path}.deny_if[{i}]", condition), false);
            }

            if (condition.Evaluate(NoArguments) != ConditionResult.False)
            {
                return (null, false);
            }
        }

        return (null, true);
    }

    private static ReplayVerdict Undecidable(string path, CompiledCondition condition) =>
        ReplayVerdict.Undecidable(path, condition.Description);

    /// <summary>
    /// What decides an undecidable call here, apart from the values the log lacks: the rule's shape (or the default),
    /// and each limit it counts in with that counter's use so far in this replay. Two documents that give a call the
    /// same shape decide it alike whatever those values are, so the call is no change between them.
    /// </summary>
    private string ShapeOf(CompiledRule? rule, IReadOnlyList<CompiledLimit> limits, in ToolCall call, long seconds)
    {
        var parts = new List<string> { rule is null ? $"default {Policy.Document.Default} validate {Policy.Document.ValidateAllArguments}" : RuleShape.Of(rule) };
        foreach (var limit in limits)
        {
            var key = limit.KeyAt(call, seconds);
            parts.Add($"{limit.Limit} used {Use(key)}");
        }

        return string.Join("\n", parts);
    }

    /// <summary>Whether <paramref name="path"/> (<c>args.a.b</c>) starts at an argument the call had.</summary>
    private static bool Reads(string path, LoggedCall logged)
    {
        var first = path["args.".Length..];
        var dot = first.IndexOf('.', StringComparison.Ordinal);
        return logged.ArgumentKeys.Contains(dot < 0 ? first : first[..dot], StringComparer.Ordinal);
    }

    /// <summary>
    /// The counters a call of unknown fate may have moved are unknown for the rest of their windows; each keeps which
    /// call (by its place in the log) and of which <paramref name="shape"/> moved it.
    /// </summary>
    private void Forget(IEnumerable<CompiledLimit> limits, in ToolCall call, long seconds, string shape)
    {
        foreach (var limit in limits)
        {
            var key = limit.KeyAt(call, seconds);
            // A hash of the history so far, so the history stays one short string however many calls a window holds.
            _unknown[key] = ShortHash($"{Use(key)} then call {_calls} of shape {shape}");
        }
    }

    /// <summary>A counter's use: the count when known, else the history that moved it.</summary>
    private string Use(string key) =>
        _unknown.TryGetValue(key, out var history) ? "(" + history + ")" : _used.GetValueOrDefault(key).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
}

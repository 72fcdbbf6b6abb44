using McpGateway.Policy;

namespace McpGateway.Cli.Diff;

/// <summary>
/// Replays logged calls against an old and a new document (each with its own counters, in time order) and sorts
/// them into changed, unchanged and undecidable. A call is changed when the two decisions differ (allow, deny,
/// hide, approve); a change of rule alone, with the same decision, is not a change of behaviour.
/// </summary>
internal sealed class LogReplay
{
    private readonly PolicyReplay _old;
    private readonly PolicyReplay _new;
    private readonly List<ReplayedCall> _changed = [];
    private readonly List<ReplayedCall> _undecidable = [];

    public LogReplay(CompiledPolicy oldPolicy, CompiledPolicy newPolicy)
    {
        _old = new PolicyReplay(oldPolicy);
        _new = new PolicyReplay(newPolicy);
    }

    public IReadOnlyList<ReplayedCall> Changed => _changed;

    public IReadOnlyList<ReplayedCall> Undecidable => _undecidable;

    public int Unchanged { get; private set; }

    /// <summary>
    /// Calls the old document decides, from the log alone, otherwise than the log says the gateway did: the log was
    /// not written under the old document (or not only), so the replay's "old" is not what really happened.
    /// </summary>
    public int OldDisagreesWithLog { get; private set; }

    public static LogReplay Run(CompiledPolicy oldPolicy, CompiledPolicy newPolicy, IEnumerable<LoggedCall> calls)
    {
        var replay = new LogReplay(oldPolicy, newPolicy);
        foreach (var call in calls.OrderBy(c => c.Time).ThenBy(c => c.Sequence))
        {
            replay.Add(call);
        }

        return replay;
    }

    private void Add(LoggedCall call)
    {
        var old = _old.Decide(call);
        var @new = _new.Decide(call);
        if (!old.IsUndecidable && !call.DecidedOutsideThePolicy && !AsLogged(old, _old.Policy).Equals((call.Decision, call.Rule)) &&
            !AnsweredAsUnlisted(call, old, _old.Policy))
        {
            OldDisagreesWithLog++;
        }

        var replayed = new ReplayedCall(call, old, @new);
        if (old.IsUndecidable || @new.IsUndecidable)
        {
            // The same conditions in the same order, then the same action: equal for any argument values.
            if (old.Shape is not null && old.Shape == @new.Shape && old.Needs == @new.Needs)
            {
                Unchanged++;
            }
            else
            {
                _undecidable.Add(replayed);
            }
        }
        else if (old.Decision != @new.Decision)
        {
            _changed.Add(replayed);
        }
        else
        {
            Unchanged++;
        }
    }

    /// <summary>
    /// Whether the line is a permitted call to a tool the server did not list, answered as a hidden tool is while the
    /// policy hides any (the gateway's copy of the server's tools decided it, which the log does not carry).
    /// </summary>
    private static bool AnsweredAsUnlisted(LoggedCall call, ReplayVerdict verdict, CompiledPolicy policy) =>
        policy.HidesTools && verdict.Decision is "allow" or "approve" &&
        (Enforcement.PolicyResultWriter.DecisionName(policy.HiddenAtCall.Kind), policy.HiddenAtCall.Rule).Equals((call.Decision, call.Rule));

    /// <summary>How the decision line records a verdict: a hidden tool is logged as the unknown tool it pretends to be.</summary>
    private static (string, string) AsLogged(ReplayVerdict verdict, CompiledPolicy policy) =>
        verdict.Decision == "hide"
            ? (Enforcement.PolicyResultWriter.DecisionName(policy.HiddenAtCall.Kind), policy.HiddenAtCall.Rule)
            : (verdict.Decision, verdict.Rule);
}

using System.Globalization;
using System.Text.Json;

namespace McpGateway.Policy.Evaluation;

/// <summary>A limit ready to turn a call into a <see cref="LimitReservation"/>.</summary>
internal sealed class CompiledLimit
{
    // Increments are whole numbers (amounts in the currency's smallest unit, as Stripe counts them);
    // the ceiling keeps any sum of increments within a long.
    private const double MaxIncrement = 1e15;

    private readonly ArgumentPath? _incrementFrom;

    public CompiledLimit(PolicyLimit limit, string rule)
    {
        Limit = limit;
        Rule = rule;
        _incrementFrom = limit.IncrementFrom is null ? null : ArgumentPath.Parse(limit.IncrementFrom);
        BadIncrement = new PolicyDecision(
            DecisionKind.Deny,
            rule,
            $"limit \"{limit.Counter}\" counts {limit.IncrementFrom}, which must be a non-negative whole number");
    }

    public PolicyLimit Limit { get; }

    /// <summary>Path of the limit in the policy, e.g. <c>tools.create_charge.limits[0]</c>.</summary>
    public string Rule { get; }

    /// <summary>The denial when <c>increment_from</c> names a missing or unusable argument.</summary>
    public PolicyDecision BadIncrement { get; }

    public bool TryReserve(in ToolCall call, long nowUnixSeconds, out LimitReservation reservation)
    {
        long increment = 1;
        if (_incrementFrom is not null)
        {
            if (!_incrementFrom.TryResolve(call.Arguments, out var value) ||
                value.ValueKind != JsonValueKind.Number ||
                !value.TryGetDouble(out var amount) ||
                amount < 0 || amount > MaxIncrement || amount != Math.Floor(amount))
            {
                reservation = default;
                return false;
            }

            increment = (long)amount;
        }

        var start = WindowStart(nowUnixSeconds);
        reservation = new LimitReservation(
            CounterKey(call, start),
            Rule,
            Limit,
            DateTimeOffset.FromUnixTimeSeconds(start),
            DateTimeOffset.FromUnixTimeSeconds(start + Limit.WindowSeconds),
            increment,
            IsPolicyLimit: true);
        return true;
    }

    /// <summary>
    /// The counter a call would reserve at <paramref name="nowUnixSeconds"/>, whatever its increment: the log replay
    /// of <c>mcpgw policy diff</c> must stop trusting a counter that a call of unknown increment may have moved.
    /// </summary>
    public string KeyAt(in ToolCall call, long nowUnixSeconds) => CounterKey(call, WindowStart(nowUnixSeconds));

    private long WindowStart(long nowUnixSeconds)
    {
        var window = Limit.WindowSeconds;
        return nowUnixSeconds - (((nowUnixSeconds % window) + window) % window);
    }

    /// <summary>
    /// <c>server/scope:id/counter/window/start</c>, the scope prefixed with <c>shadow.</c> for a shadowed limit. The server is always part of the key so that two
    /// servers never share a budget by accident; the window length is part of it so that a policy edit
    /// that changes the window starts a fresh count instead of inheriting one measured differently.
    /// </summary>
    private string CounterKey(in ToolCall call, long windowStart)
    {
        var scope = Limit.Scope switch
        {
            LimitScope.Server => "server",
            LimitScope.Session when call.SessionId is { Length: > 0 } session => "session:" + session,

            // A session limit without a session counts per grant, but apart from grant-scoped limits of the
            // same name: sharing their key would count one call twice against two different maxima.
            LimitScope.Session => "nosession:" + call.Grant,
            _ => "grant:" + call.Grant,
        };

        // Enforced scopes start with a fixed word, so a shadow key can never name an enforced counter (issue 17).
        if (Limit.Mode == PolicyMode.Shadow)
        {
            scope = LimitReservation.ShadowScopePrefix + scope;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{call.Server}/{scope}/{Limit.Counter}/{Limit.WindowSeconds}/{windowStart}");
    }
}

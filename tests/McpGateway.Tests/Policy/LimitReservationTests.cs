namespace McpGateway.Tests.Policy;

/// <summary>
/// The reservations an allowed call carries (docs/policy-reference.md, "Limits"): fixed windows aligned to the Unix epoch,
/// one counter key per scope, increments from <c>increment_from</c>, and a fixed key order.
/// </summary>
public sealed class LimitReservationTests
{
    /// <summary>2026-11-20T12:34:56Z, 1795178096 seconds after the epoch.</summary>
    private static readonly DateTimeOffset At = new(2026, 11, 20, 12, 34, 56, 250, TimeSpan.Zero);

    [Theory]
    [InlineData("\"minute\"", "2026-11-20T12:34:00Z", "2026-11-20T12:35:00Z")]
    [InlineData("\"hour\"", "2026-11-20T12:00:00Z", "2026-11-20T13:00:00Z")]
    [InlineData("\"day\"", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")]
    [InlineData("60", "2026-11-20T12:34:00Z", "2026-11-20T12:35:00Z")]
    // 1795178096 = 7 * 256454013 + 5: the window started 5 s ago, not at a calendar boundary.
    [InlineData("7", "2026-11-20T12:34:51Z", "2026-11-20T12:34:58Z")]
    // 1795178096 = 90 * 19946423 + 26.
    [InlineData("90", "2026-11-20T12:34:30Z", "2026-11-20T12:36:00Z")]
    // A day and a second drifts from midnight: 1795178096 = 86401 * 20777 + 24519.
    [InlineData("86401", "2026-11-20T05:46:17Z", "2026-11-21T05:46:18Z")]
    // 365 days counted from the epoch, not a calendar year: 1795178096 = 31536000 * 56 + 29162096.
    [InlineData("31536000", "2025-12-18T00:00:00Z", "2026-12-18T00:00:00Z")]
    public void Reserve_Window_AlignedToMultiplesOfItsLengthSinceTheEpoch(string window, string start, string end)
    {
        var reservation = ReserveOne($$"""{"counter":"c","window":{{window}},"max":5}""", At);

        Assert.Equal(DateTimeOffset.Parse(start, null, System.Globalization.DateTimeStyles.AssumeUniversal), reservation.WindowStart);
        Assert.Equal(DateTimeOffset.Parse(end, null, System.Globalization.DateTimeStyles.AssumeUniversal), reservation.WindowEnd);
    }

    [Fact]
    public void Reserve_AtWindowBoundary_StartsTheNewWindow()
    {
        var boundary = DateTimeOffset.FromUnixTimeSeconds(1795178091);

        Assert.Equal(boundary, ReserveOne("""{"counter":"c","window":7,"max":5}""", boundary).WindowStart);
        Assert.Equal(boundary.AddSeconds(-7), ReserveOne("""{"counter":"c","window":7,"max":5}""", boundary.AddTicks(-1)).WindowStart);
    }

    [Theory]
    [InlineData("\"minute\"", -60)]
    [InlineData("7", -7)]
    public void Reserve_BeforeTheEpoch_WindowStillStartsAtOrBeforeNow(string window, long start)
    {
        var justBeforeEpoch = DateTimeOffset.UnixEpoch.AddMilliseconds(-500);

        var reservation = ReserveOne($$"""{"counter":"c","window":{{window}},"max":5}""", justBeforeEpoch);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(start), reservation.WindowStart);
    }

    [Theory]
    [InlineData("grant", "s-1", "github/grant:agent-7/c/60/1795178040")]
    [InlineData("server", "s-1", "github/server/c/60/1795178040")]
    [InlineData("session", "s-1", "github/session:s-1/c/60/1795178040")]
    [InlineData("session", null, "github/nosession:agent-7/c/60/1795178040")]
    [InlineData("session", "", "github/nosession:agent-7/c/60/1795178040")]
    public void Reserve_Scope_NamesTheCounterKey(string scope, string? session, string key)
    {
        var policy = CompileLimits($$"""{"counter":"c","window":"minute","max":5,"scope":"{{scope}}"}""");

        var reservation = Assert.Single(Evaluate(policy, "agent-7", "github", session).Limits);

        Assert.Equal(key, reservation.Key);
    }

    [Fact]
    public void Reserve_ServerScope_SharedByGrantsAndSessionsButNotServers()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{"limits":[{"counter":"c","window":"minute","max":5,"scope":"server"}]}}}
            """);

        var key = Assert.Single(Evaluate(policy, "agent-1", "github", "s-1").Limits).Key;

        Assert.Equal(key, Assert.Single(Evaluate(policy, "agent-2", "github", "s-2").Limits).Key);
        Assert.NotEqual(key, Assert.Single(Evaluate(policy, "agent-1", "gitlab", "s-1").Limits).Key);
    }

    [Fact]
    public void Reserve_NoScope_DefaultsToGrant()
    {
        var reservation = ReserveOne("""{"counter":"c","window":"minute","max":5}""", At);

        Assert.Equal(LimitScope.Grant, reservation.Limit.Scope);
        Assert.StartsWith("stripe/grant:agent-1/c/", reservation.Key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"amount":1200}""", 1200)]
    [InlineData("""{"amount":0}""", 0)]
    [InlineData("""{"amount":1200.0}""", 1200)]
    [InlineData("""{"amount":12e2}""", 1200)]
    [InlineData("""{"amount":1200,"other":-1}""", 1200)]
    public void Reserve_IncrementFromWholeNumber_CountsThatNumber(string arguments, long increment)
    {
        var policy = IncrementPolicy("args.amount");

        var decision = policy.Decide("t", arguments);

        Assert.Equal(DecisionKind.Allow, decision.Kind);
        Assert.Equal(
            [("calls", 1L), ("amount", increment)],
            decision.Limits.Select(l => (l.Limit.Counter, l.Increment)).OrderByDescending(l => l.Counter, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"amount":-1}""")]
    [InlineData("""{"amount":12.5}""")]
    [InlineData("""{"amount":0.001}""")]
    [InlineData("""{"amount":"1200"}""")]
    [InlineData("""{"amount":true}""")]
    [InlineData("""{"amount":[1200]}""")]
    [InlineData("""{"amount":{"value":1200}}""")]
    [InlineData("""{"amount":null}""")]
    [InlineData("""{}""")]
    public void Reserve_IncrementFromAnythingButANonNegativeWholeNumber_DeniesByTheLimit(string arguments)
    {
        var policy = IncrementPolicy("args.amount");

        var decision = policy.Decide("t", arguments);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal("tools.t.limits[1]", decision.Rule);
        Assert.Equal("limit \"amount\" counts args.amount, which must be a non-negative whole number", decision.Reason);
        Assert.Empty(decision.Limits);
    }

    [Fact]
    public void Reserve_IncrementFromNestedPathInAllTools_CountsItOrDeniesByTheAllToolsLimit()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"counter":"bytes","window":"hour","max":100000,"increment_from":"args.body.size"}]}}
            """);

        var counted = policy.Decide("upload", """{"body":{"size":512}}""");
        var negative = policy.Decide("upload", """{"body":{"size":-512}}""");
        var notAnObject = policy.Decide("upload", """{"body":512}""");

        Assert.Equal(512, Assert.Single(counted.Limits).Increment);
        Assert.Equal((DecisionKind.Deny, "all_tools.limits[0]"), (negative.Kind, negative.Rule));
        Assert.Equal((DecisionKind.Deny, "all_tools.limits[0]"), (notAnObject.Kind, notAnObject.Rule));
    }

    [Fact]
    public void Reserve_IncrementFromOnApproveRule_BadValueDeniesInsteadOfAskingForApproval()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"payout":{"action":"approve","limits":[{"counter":"paid","window":"day","max":100000,"increment_from":"args.amount"}]}}}
            """);

        var approved = policy.Decide("payout", """{"amount":300}""");
        var denied = policy.Decide("payout", """{"amount":"300"}""");

        Assert.Equal(DecisionKind.Approve, approved.Kind);
        Assert.Equal(TimeSpan.FromMinutes(15), approved.Approval!.Timeout);
        Assert.Equal(300, Assert.Single(approved.Limits).Increment);
        Assert.Equal((DecisionKind.Deny, "tools.payout.limits[0]"), (denied.Kind, denied.Rule));
    }

    [Fact]
    public void Reserve_SeveralLimits_SortedByKeyWithTheirRulesAndSettings()
    {
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny",
             "all_tools":{"limits":[{"counter":"zeta","window":"minute","max":60,"on_store_error":"allow"}]},
             "tools":{"t":{"limits":[
               {"counter":"mid","window":"hour","max":5,"scope":"session"},
               {"counter":"alpha","window":"day","max":3,"scope":"server"},
               {"counter":"Beta","window":30,"max":2}]}}}
            """);

        var limits = Evaluate(policy, "agent-1", "stripe", "s-9").Limits;

        Assert.Equal(
            [
                ("stripe/grant:agent-1/Beta/30/1795178070", "tools.t.limits[2]", 2L, StoreErrorMode.Deny),
                ("stripe/grant:agent-1/zeta/60/1795178040", "all_tools.limits[0]", 60L, StoreErrorMode.Allow),
                ("stripe/server/alpha/86400/1795132800", "tools.t.limits[1]", 3L, StoreErrorMode.Deny),
                ("stripe/session:s-9/mid/3600/1795176000", "tools.t.limits[0]", 5L, StoreErrorMode.Deny),
            ],
            limits.Select(l => (l.Key, l.Rule, l.Limit.Max, l.Limit.OnStoreError)));
        Assert.All(limits, l => Assert.Equal(1, l.Increment));
    }

    private static CompiledPolicy IncrementPolicy(string path) => CompileLimits($$"""
        {"counter":"calls","window":"minute","max":60},
        {"counter":"amount","window":"day","max":2000000,"increment_from":"{{path}}"}
        """);

    /// <summary>A default-deny policy whose only rule, for tool <c>t</c>, has these limits.</summary>
    private static CompiledPolicy CompileLimits(string limits) =>
        PolicyTestKit.Compile("""{"version":"1","default":"deny","tools":{"t":{"limits":[""" + limits + "]}}}");

    private static LimitReservation ReserveOne(string limit, DateTimeOffset at)
    {
        var policy = CompileLimits(limit);
        var decision = policy.Decide("t", at: at);
        Assert.Equal(DecisionKind.Allow, decision.Kind);
        return Assert.Single(decision.Limits);
    }

    private static PolicyDecision Evaluate(CompiledPolicy policy, string grant, string server, string? session)
    {
        using var arguments = JsonDocument.Parse("{}");
        return policy.Evaluate(new ToolCall(grant, server, "t", arguments.RootElement, session), At);
    }
}

using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using McpGateway.Cli.Diff;
using McpGateway.Logging;
using McpGateway.Tests.Policy;

namespace McpGateway.Tests.Cli.Diff;

/// <summary>
/// The log replay against the gateway's own decisions. Random documents (rules, prefixes, hide, conditions, limits
/// with and without <c>increment_from</c>, shadowed rules and limits) and random call sequences run through
/// <see cref="GatewayOracle"/> (the real evaluator with the real arguments and the real counter store), which writes
/// the log; the replay, which sees only that log, must agree with the oracle on every call it calls decidable.
/// </summary>
public sealed class PolicyDiffPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Replay_LogAgainstThePolicyThatWroteIt_ReportsNoChangeAndAgreesWithEveryLine()
    {
        Check.One(Runs, Prop.ForAll(Generators.Case.ToArbitrary(), generated =>
        {
            var policy = PolicyTestKit.Compile(generated.Old);
            var (log, _) = Play(policy, generated.Calls, _ => false);

            var replay = LogReplay.Run(policy, PolicyTestKit.Compile(generated.Old), LogLines.Read(log));

            // Against itself every call is no change, the undecidable ones too: one document decides a call alike
            // whatever values the log lacks, so `policy diff P P --log L` must exit 0.
            Assert.True(replay.Changed.Count == 0 && replay.Undecidable.Count == 0 && replay.OldDisagreesWithLog == 0, Describe(generated, replay));
        }));
    }

    [Fact]
    public void Replay_AgainstAnotherPolicy_AgreesWithTheGatewayRunningIt()
    {
        Check.One(Runs, Prop.ForAll(Generators.Case.ToArbitrary(), generated =>
        {
            var (log, _) = Play(PolicyTestKit.Compile(generated.Old), generated.Calls, c => c.UpstreamFails);

            // The replay assumes a call the log never saw reach the upstream would have been answered, and knows
            // the fate of those it did see: the truth under the new document is played on the same terms.
            var (_, truth) = Play(PolicyTestKit.Compile(generated.New), generated.Calls, c => log[c.Index].Outcome == CallOutcomes.Names.NameOf(CallOutcome.UpstreamError));
            var replay = new PolicyReplay(PolicyTestKit.Compile(generated.New));
            var calls = LogLines.Read(log);
            for (var i = 0; i < calls.Count; i++)
            {
                var verdict = replay.Decide(calls[i]);
                Assert.True(
                    verdict.IsUndecidable || (verdict.Decision, verdict.Rule) == truth[i],
                    $"call {i} {generated.Calls[i]}: replay {verdict}, gateway {truth[i]}\nold: {generated.Old}\nnew: {generated.New}");
            }
        }));
    }

    [Fact]
    public void Replay_CallsWithoutArgumentsOrSessionLimits_AreAllDecidable()
    {
        var withoutArguments = Generators.Case
            .Where(c => !c.New.Contains("\"session\"", StringComparison.Ordinal))
            .Select(c => c with { Calls = [.. c.Calls.Select(call => call with { Arguments = "{}" })] });
        Check.One(Runs, Prop.ForAll(withoutArguments.ToArbitrary(), generated =>
        {
            var (log, _) = Play(PolicyTestKit.Compile(generated.Old), generated.Calls, c => c.UpstreamFails);

            var replay = LogReplay.Run(PolicyTestKit.Compile(generated.New), PolicyTestKit.Compile(generated.New), LogLines.Read(log));

            Assert.True(replay.Undecidable.Count == 0, Describe(generated, replay));
        }));
    }

    private static (DecisionLogEntry[] Log, (string, string)[] Truth) Play(McpGateway.Policy.CompiledPolicy policy, GeneratedCall[] calls, Func<GeneratedCall, bool> upstreamFails)
    {
        var oracle = new GatewayOracle(policy);
        var results = calls.Select(c => oracle.Call(c.Grant, c.Tool, c.Arguments, LogLines.Start.AddSeconds(c.Second), upstreamFails(c))).ToArray();
        return ([.. results.Select(r => r.Line)], [.. results.Select(r => (r.Decision, r.Rule))]);
    }

    private static string Describe(GeneratedCase generated, LogReplay replay) =>
        $"old: {generated.Old}\nnew: {generated.New}\ncalls:\n  {string.Join("\n  ", generated.Calls)}\n" +
        $"changed: {string.Join("; ", replay.Changed)}\nundecidable: {string.Join("; ", replay.Undecidable)}\ndisagrees with log: {replay.OldDisagreesWithLog}";

    internal sealed record GeneratedCall(int Index, string Grant, string Tool, string Arguments, int Second, bool UpstreamFails);

    internal sealed record GeneratedCase(string Old, string New, GeneratedCall[] Calls);

    private static class Generators
    {
        // A counter's declaration depends only on its name, so documents never declare one two ways; a shadowed rule
        // or document inherits its mode into its limits, so it draws counters of its own (named with an "s").
        private static readonly string[] Limits =
        [
            """{"counter":"c1","window":60,"max":2}""",
            """{"counter":"c2","window":60,"max":6,"increment_from":"args.amount"}""",
            """{"counter":"c3","window":60,"max":3,"scope":"server"}""",
            """{"counter":"c4","window":60,"max":2,"scope":"session"}""",
            """{"counter":"c5","window":60,"max":1,"mode":"shadow"}""",
        ];

        private static readonly string[] ShadowLimits =
            [.. Limits.Select(l => l.Replace(",\"mode\":\"shadow\"", "", StringComparison.Ordinal).Replace("\"counter\":\"c", "\"counter\":\"s", StringComparison.Ordinal))];

        private static readonly string[] Conditions =
        [
            """{"path":"args.a","op":"eq","value":"x"}""",
            """{"path":"args.amount","op":"lte","value":5}""",
            """{"path":"args.n.x","op":"exists","value":true}""",
            """{"path":"args.a","op":"exists","value":false}""",
        ];

        private static readonly string[] Keys = ["echo", "add", "charge", "delete_*", "secret", "de*"];
        private static readonly string[] Tools = ["echo", "add", "charge", "delete_x", "dev", "secret", "other"];

        private static readonly string[] Arguments =
        [
            "{}", """{"a":"x"}""", """{"a":"y"}""", """{"a":null}""", """{"amount":3}""", """{"amount":7}""", """{"amount":"3"}""",
            """{"amount":2.5}""", """{"n":{"x":1}}""", """{"n":{}}""", """{"a":"x","amount":3}""", """{"amount":1,"n":{"x":true}}""",
        ];

        private static Gen<string> Rule(bool shadowDocument) =>
            from action in Gen.Elements("", "\"action\":\"allow\",", "\"action\":\"deny\",", "\"action\":\"hide\",", "\"action\":\"approve\",")
            from require in Gen.Elements(Conditions.Prepend("").ToArray())
            from denyIf in Gen.Elements(Conditions.Prepend("").Prepend("").ToArray())
            from shadow in shadowDocument ? Gen.Constant(false) : Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
            from limits in Gen.SubListOf(shadow || shadowDocument ? ShadowLimits : Limits).Select(l => l.Take(2).ToArray())
            select "{" + action + (shadow ? "\"mode\":\"shadow\"," : "") +
                   (require.Length > 0 ? $"\"require\":[{require}]," : "") +
                   (denyIf.Length > 0 ? $"\"deny_if\":[{denyIf}]," : "") +
                   $"\"limits\":[{string.Join(",", limits)}]}}";

        private static readonly Gen<string> Policy =
            from shadow in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
            from @default in Gen.Elements("allow", "deny")
            from hide in Gen.Elements("", "\"secret\"", "\"del*\"")
            from allTools in shadow ? Gen.Elements("", ShadowLimits[0], ShadowLimits[2]) : Gen.Elements("", Limits[0], Limits[2], Limits[4])
            from keys in Gen.SubListOf(Keys)
            from rules in Gen.ArrayOf(Rule(shadow), keys.Count)
            select $"{{\"version\":\"1\",{(shadow ? "\"mode\":\"shadow\"," : "")}\"default\":\"{@default}\",\"hide\":[{hide}],\"all_tools\":{{\"limits\":[{allTools}]}}," +
                   $"\"tools\":{{{string.Join(",", keys.Zip(rules, (key, rule) => $"\"{key}\":{rule}"))}}}}}";

        private static readonly Gen<(string Grant, string Tool, string Arguments, int Step, bool Fails)> Call =
            from grant in Gen.Elements("g1", "g2")
            from tool in Gen.Elements(Tools)
            from arguments in Gen.Elements(Arguments)
            from step in Gen.Frequency((6, Gen.Choose(0, 5)), (1, Gen.Choose(20, 70)))
            from fails in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (grant, tool, arguments, step, fails);

        public static readonly Gen<GeneratedCase> Case =
            from old in Policy
            from @new in Gen.Frequency((1, Gen.Constant(old)), (3, Policy))
            from calls in Gen.Choose(1, 25).SelectMany(n => Gen.ArrayOf(Call, n))
            select new GeneratedCase(old, @new, [.. calls.Select((c, i) => new GeneratedCall(i, c.Grant, c.Tool, c.Arguments, calls.Take(i + 1).Sum(x => x.Step), c.Fails))]);
    }
}

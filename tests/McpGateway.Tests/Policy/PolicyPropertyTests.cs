using FsCheck;
using FsCheck.Fluent;

namespace McpGateway.Tests.Policy;

/// <summary>
/// Compares <see cref="CompiledPolicy"/> with a reference interpreter written from docs/policy-reference.md alone. Random
/// valid documents are generated as structures, printed as JSON for the real parser, and interpreted
/// directly from the structure here, in the most literal way the policy reference allows: no compiled lookups, no
/// pre-built decisions, no code shared with <c>src/</c>. Any disagreement on decision kind, rule path,
/// approval timeout, reserved limits or <c>tools/list</c> visibility prints the document and the call.
/// </summary>
public sealed partial class PolicyPropertyTests
{
    [Fact]
    public void Evaluate_RandomValidPoliciesAndCalls_AgreesWithTheReferenceInterpreter()
    {
        var property = Prop.ForAll(Generators.Case.ToArbitrary(), AssertAgrees);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    private static void AssertAgrees(GeneratedCase generated)
    {
        var json = generated.Policy.ToJson();
        var parsed = PolicyParser.Parse(json);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException($"generated document was rejected:{Environment.NewLine}{string.Join(Environment.NewLine, parsed.Problems)}{Environment.NewLine}{json}");
        }

        var compiled = CompiledPolicy.Compile(parsed.Document);
        foreach (var call in generated.Calls)
        {
            var expected = Reference.Evaluate(generated.Policy, call);
            var actual = Evaluate(compiled, call);
            var expectedListed = Reference.IsListed(generated.Policy, call.Tool);
            var actualListed = compiled.IsListed(call.Tool);
            if (expected != actual || expectedListed != actualListed)
            {
                throw new InvalidOperationException(
                    $"""
                    compiled policy and reference interpreter disagree
                      policy:    {json}
                      call:      {call}
                      reference: {expected}, listed {expectedListed}
                      compiled:  {actual}, listed {actualListed}
                    """);
            }
        }
    }

    private static Outcome Evaluate(CompiledPolicy policy, GeneratedCall call)
    {
        PolicyDecision decision;
        if (call.Arguments is null)
        {
            decision = policy.Evaluate(new ToolCall(call.Grant, call.Server, call.Tool, default, call.Session), call.At);
        }
        else
        {
            using var arguments = JsonDocument.Parse(call.Arguments.ToJson());
            decision = policy.Evaluate(new ToolCall(call.Grant, call.Server, call.Tool, arguments.RootElement, call.Session), call.At);
        }

        var keys = decision.Limits.Select(l => l.Key).ToArray();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        return new Outcome(
            decision.Kind.ToString(),
            decision.Rule,
            decision.Kind == DecisionKind.Approve ? decision.Approval?.Timeout : null,
            Outcome.Describe(decision.Limits.Select(l => new Reservation(l.Limit.Counter, Scope(l.Limit.Scope), l.Increment, l.WindowStart.ToUnixTimeSeconds(), l.Rule))));
    }

    private static string Scope(LimitScope scope) => scope switch
    {
        LimitScope.Grant => "grant",
        LimitScope.Server => "server",
        _ => "session",
    };

    /// <summary>A decision reduced to what the policy reference defines, comparable by value.</summary>
    private sealed record Outcome(string Kind, string Rule, TimeSpan? ApprovalTimeout, string Limits)
    {
        public static string Describe(IEnumerable<Reservation> reservations) =>
            "[" + string.Join(", ", reservations.Select(r => r.ToString()).Order(StringComparer.Ordinal)) + "]";
    }

    private sealed record Reservation(string Counter, string Scope, long Increment, long WindowStart, string Rule)
    {
        public override string ToString() => $"{Counter}/{Scope} +{Increment} from {WindowStart} ({Rule})";
    }
}

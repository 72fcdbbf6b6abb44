using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpGateway.Policy;

namespace McpGateway.Benchmarks.Policy;

/// <summary>
/// <see cref="CompiledPolicy.Evaluate"/> and <see cref="CompiledPolicy.IsListed"/> on the 100-tool
/// <see cref="BenchmarkPolicy"/>, one decision per operation. Arguments are parsed once in setup, as the
/// gateway hands the evaluator an already parsed <c>arguments</c> object. Methods return <c>object</c>
/// because BenchmarkDotNet needs them public and the policy types are internal.
/// </summary>
/// <remarks>
/// <c>all_tools</c> limits attach to every permitted call, so the two "no limits" cases run against the
/// same document without its <c>all_tools</c> block; every other case uses the full document.
/// </remarks>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);

    private CompiledPolicy _policy = null!;
    private CompiledPolicy _policyWithoutAllTools = null!;
    private string[] _catalogue = null!;
    private ToolCall _plain;
    private ToolCall _refund;
    private ToolCall _charge;
    private ToolCall _testCharge;
    private ToolCall _unlisted;
    private ToolCall _hidden;

    [GlobalSetup]
    public void Setup()
    {
        _policy = Compile(BenchmarkPolicy.Generate(allToolsLimit: true));
        _policyWithoutAllTools = Compile(BenchmarkPolicy.Generate(allToolsLimit: false));
        _catalogue = BenchmarkPolicy.Catalogue;

        _plain = Call(BenchmarkPolicy.PlainTool, """{"limit": 20, "status": "open"}""");
        _refund = Call(BenchmarkPolicy.ConditionalTool, """{"charge": "ch_3PqLx2Ab9cDeF0", "amount": 2500, "reason": "duplicate"}""");
        _charge = Call(BenchmarkPolicy.ChargeTool, """{"amount": 1200, "currency": "usd", "description": "order 1042"}""");
        _testCharge = Call(BenchmarkPolicy.ChargeTool, """{"amount": 1200, "currency": "usd", "description": "a test charge"}""");
        _unlisted = Call(BenchmarkPolicy.UnlistedTool, """{"confirm": true}""");
        _hidden = Call(BenchmarkPolicy.HiddenTool, """{"user": "u_123"}""");

        // A benchmark that measures the wrong branch is worse than none: check each case decides as named.
        Expect(AllowWithoutLimits(), DecisionKind.Allow, limits: 0);
        Expect(AllowWithConditions(), DecisionKind.Allow, limits: 0);
        Expect(AllowWithOneLimit(), DecisionKind.Allow, limits: 1);
        Expect(AllowWithTwoLimitsAndIncrement(), DecisionKind.Allow, limits: 2);
        Expect(DenyByCondition(), DecisionKind.Deny, limits: 0);
        Expect(DenyByDefault(), DecisionKind.Deny, limits: 0);
        Expect(Hidden(), DecisionKind.Hide, limits: 0);
        if (IsListedCatalogue() is not (> 0 and < BenchmarkPolicy.ToolCount) and var listed)
        {
            throw new InvalidOperationException($"{listed} of {BenchmarkPolicy.ToolCount} tools listed; expected some but not all");
        }
    }

    /// <summary>A plain <c>{}</c> rule under a policy without <c>all_tools</c>: a shared, precomputed decision.</summary>
    [Benchmark]
    public object AllowWithoutLimits() => _policyWithoutAllTools.Evaluate(_plain, Now);

    /// <summary>Three <c>require</c> conditions (lte on a number, in on strings, regex) that all hold; no limits.</summary>
    [Benchmark]
    public object AllowWithConditions() => _policyWithoutAllTools.Evaluate(_refund, Now);

    /// <summary>A plain rule under the full policy: the <c>all_tools</c> limit yields one reservation.</summary>
    [Benchmark]
    public object AllowWithOneLimit() => _policy.Evaluate(_plain, Now);

    /// <summary><c>create_charge</c>: lte, in and contains conditions, then <c>all_tools</c> and an <c>increment_from</c> limit.</summary>
    [Benchmark]
    public object AllowWithTwoLimitsAndIncrement() => _policy.Evaluate(_charge, Now);

    /// <summary>Both <c>require</c> conditions hold, then the <c>deny_if</c> contains matches.</summary>
    [Benchmark]
    public object DenyByCondition() => _policy.Evaluate(_testCharge, Now);

    [Benchmark]
    public object DenyByDefault() => _policy.Evaluate(_unlisted, Now);

    [Benchmark]
    public object Hidden() => _policy.Evaluate(_hidden, Now);

    /// <summary>Filters one <c>tools/list</c> response: all 100 catalogue names per operation.</summary>
    [Benchmark]
    public int IsListedCatalogue()
    {
        var listed = 0;
        foreach (var tool in _catalogue)
        {
            if (_policy.IsListed(tool))
            {
                listed++;
            }
        }

        return listed;
    }

    private static CompiledPolicy Compile(string json)
    {
        var result = PolicyParser.Parse(json);
        return result.IsValid
            ? CompiledPolicy.Compile(result.Document)
            : throw new InvalidOperationException("benchmark policy is invalid: " + string.Join("; ", result.Problems));
    }

    private static ToolCall Call(string tool, string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return new ToolCall("agent-1", "payments", tool, document.RootElement.Clone(), "session-1");
    }

    private static void Expect(object result, DecisionKind kind, int limits)
    {
        var decision = (PolicyDecision)result;
        if (decision.Kind != kind || decision.Limits.Length != limits)
        {
            throw new InvalidOperationException($"expected {kind} with {limits} limit(s), got {decision} with {decision.Limits.Length}");
        }
    }
}

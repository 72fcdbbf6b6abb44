using System.Text.Json.Nodes;
using McpGateway.Tools;

namespace McpGateway.Tests.Tools;

/// <summary>The starter policy: valid, PolicyLayer's recommendation per class, and the seed's decision for build_and_push_image_to_ecr.</summary>
public sealed class StarterPolicyTests
{
    private static readonly ToolDefinition[] Tools =
    [
        new("list_clusters"),
        new("create_service"),
        new("build_and_push_image_to_ecr"),
        new("delete_app"),
        new("create_refund"),
        new("manage_k8s_resource", "Manages one resource.", JsonDocument.Parse("""{"type":"object","properties":{"operation":{"enum":["get","list","create","delete"]}}}""").RootElement.Clone()),
    ];

    [Fact]
    public void Build_EveryClass_ValidatesWithDefaultDeny()
    {
        var parsed = Parse(null);

        Assert.True(parsed.IsValid, string.Join("\n", parsed.Problems));
        Assert.Equal(DefaultAction.Deny, parsed.Document!.Default);
        Assert.All(parsed.Document.Tools, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Reason)));
    }

    [Fact]
    public void Build_ExecuteTool_GetsTheSeedRule()
    {
        var decision = Evaluate(null, "build_and_push_image_to_ecr", "{}");

        Assert.Equal(DecisionKind.Allow, decision.Kind);
        var limit = Assert.Single(decision.Limits).Limit;
        Assert.Equal("build_and_push_image_to_ecr_rate", limit.Counter);
        Assert.Equal(10, limit.Max);
        Assert.Equal(60, limit.WindowSeconds);
        Assert.Equal(LimitScope.Grant, limit.Scope);
    }

    [Fact]
    public void Build_EachClass_GetsItsRecommendation()
    {
        Assert.Empty(Evaluate(null, "list_clusters", "{}").Limits);
        Assert.Equal(DecisionKind.Allow, Evaluate(null, "list_clusters", "{}").Kind);
        Assert.Equal(30, Assert.Single(Evaluate(null, "create_service", "{}").Limits).Limit.Max);
        Assert.Equal(DecisionKind.Approve, Evaluate(null, "delete_app", "{}").Kind);
        Assert.Equal(DecisionKind.Approve, Evaluate(null, "create_refund", "{}").Kind);
        Assert.Equal(DecisionKind.Deny, Evaluate(null, "not_scanned", "{}").Kind);
    }

    [Fact]
    public void Build_MultiplexedTool_DeniesDeleteAllowsTheRestWithTheWriteLimit()
    {
        var delete = Evaluate(null, "manage_k8s_resource", """{"operation":"delete"}""");
        var caseVariant = Evaluate(null, "manage_k8s_resource", """{"operation":"DELETE"}""");
        var missing = Evaluate(null, "manage_k8s_resource", "{}");
        var get = Evaluate(null, "manage_k8s_resource", """{"operation":"get"}""");

        Assert.Equal(DecisionKind.Deny, delete.Kind);
        Assert.Contains("\"delete\" (destructive) denied", delete.Reason, StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Deny, caseVariant.Kind);
        Assert.Equal(DecisionKind.Deny, missing.Kind);
        Assert.Equal(DecisionKind.Allow, get.Kind);
        Assert.Equal(30, Assert.Single(get.Limits).Limit.Max);
    }

    [Fact]
    public void Build_RiskAtMostMedium_HidesAboveAndSplitsTheMultiplexedTool()
    {
        Assert.True(Parse(ToolRisk.Medium).IsValid);
        Assert.Equal(DecisionKind.Hide, Evaluate(ToolRisk.Medium, "build_and_push_image_to_ecr", "{}").Kind);
        Assert.Equal(DecisionKind.Hide, Evaluate(ToolRisk.Medium, "delete_app", "{}").Kind);
        Assert.Equal(DecisionKind.Allow, Evaluate(ToolRisk.Medium, "create_service", "{}").Kind);
        Assert.Equal(DecisionKind.Allow, Evaluate(ToolRisk.Medium, "manage_k8s_resource", """{"operation":"create"}""").Kind);
        Assert.Equal(DecisionKind.Deny, Evaluate(ToolRisk.Medium, "manage_k8s_resource", """{"operation":"delete"}""").Kind);
    }

    [Fact]
    public void Build_RiskAtMostLowWithMultiplexedToolWhoseNameWrites_IsHidden()
    {
        // "manage" is a write verb of its own: the operation values cannot make the tool safer than its name.
        Assert.Equal(DecisionKind.Hide, Evaluate(ToolRisk.Low, "manage_k8s_resource", """{"operation":"list"}""").Kind);
    }

    [Fact]
    public void Build_RiskAtMostLowWithMultiplexedToolOfNeutralName_KeepsOnlyReadsWithoutLimit()
    {
        var tool = ToolClassifier.Classify(new ToolDefinition(
            "k8s_resource",
            InputSchema: JsonDocument.Parse("""{"type":"object","properties":{"operation":{"enum":["get","list","create","delete"]}}}""").RootElement.Clone()));
        var parsed = PolicyParser.Parse(StarterPolicy.Build([tool], ToolRisk.Low, out _));
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Problems));
        var compiled = CompiledPolicy.Compile(parsed.Document!);
        PolicyDecision Decide(string operation)
        {
            using var args = JsonDocument.Parse($$"""{"operation":"{{operation}}"}""");
            return compiled.Evaluate(new ToolCall("g", "s", "k8s_resource", args.RootElement, null), DateTimeOffset.UnixEpoch);
        }

        Assert.Equal(DecisionKind.Allow, Decide("list").Kind);
        Assert.Empty(Decide("list").Limits);
        Assert.Equal(DecisionKind.Deny, Decide("create").Kind);
        Assert.Equal(DecisionKind.Deny, Decide("delete").Kind);
    }

    [Fact]
    public void Build_InvalidAndRepeatedNames_AreLeftToTheDefault()
    {
        var tools = new[] { new ToolDefinition("good_tool"), new ToolDefinition("bad tool"), new ToolDefinition("good_tool") }.Select(ToolClassifier.Classify).ToList();

        var policy = StarterPolicy.Build(tools, null, out var skipped);

        Assert.True(PolicyParser.Parse(policy).IsValid);
        Assert.Equal(["good_tool", "bad tool"], skipped);
    }

    /// <summary>A reviewer's upstream listed "a" twice; the starter policy gave the first definition a rule.</summary>
    [Fact]
    public void Build_RepeatedName_GetsNoRuleForAnyDefinition()
    {
        var tools = new[] { new ToolDefinition("a", ""), new ToolDefinition("list_items"), new ToolDefinition("a", "Deletes all.") }.Select(ToolClassifier.Classify).ToList();

        var policy = StarterPolicy.Build(tools, null, out var skipped);

        var document = JsonNode.Parse(policy)!.AsObject();
        Assert.Equal(["list_items"], document["tools"]!.AsObject().Select(t => t.Key));
        Assert.Equal(["a"], skipped);
    }

    [Fact]
    public void CounterName_LongestToolName_StaysWithinLimits()
    {
        var name = new string('a', 128);

        var counter = StarterPolicy.CounterName(name);

        Assert.Equal(128, counter.Length);
        Assert.EndsWith("_rate", counter, StringComparison.Ordinal);
        Assert.True(ToolName.IsValid(counter));
        Assert.NotEqual(counter, StarterPolicy.CounterName(new string('a', 127) + "b"));
    }

    private static PolicyParseResult Parse(ToolRisk? ceiling) =>
        PolicyParser.Parse(StarterPolicy.Build([.. Tools.Select(ToolClassifier.Classify)], ceiling, out _));

    private static PolicyDecision Evaluate(ToolRisk? ceiling, string tool, string arguments)
    {
        var parsed = Parse(ceiling);
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Problems));
        using var args = JsonDocument.Parse(arguments);
        return CompiledPolicy.Compile(parsed.Document!).Evaluate(new ToolCall("g", "s", tool, args.RootElement, null), DateTimeOffset.UnixEpoch);
    }
}

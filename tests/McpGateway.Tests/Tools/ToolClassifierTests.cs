using McpGateway.Tools;

namespace McpGateway.Tests.Tools;

/// <summary>The deterministic classifier: each category from each kind of evidence, and the evidence it must not trust.</summary>
public sealed class ToolClassifierTests
{
    [Theory]
    [InlineData("list_clusters", "Read", "name: \"list\" is a read verb")]
    [InlineData("describe_build", "Read", "name: \"describe\" is a read verb")]
    [InlineData("getPodLogs", "Read", "name: \"get\" is a read verb")]
    [InlineData("create_ecs_infrastructure", "Write", "name: \"create\" is a write verb")]
    [InlineData("update-service", "Write", "name: \"update\" is a write verb")]
    [InlineData("build_and_push_image_to_ecr", "Execute", "name: \"build\" is an execute verb")]
    [InlineData("create_or_deploy", "Execute", "name: \"deploy\" is an execute verb")]
    [InlineData("run_task", "Execute", "name: \"run\" is an execute verb")]
    [InlineData("delete_app", "Destructive", "name: \"delete\" is a destructive verb")]
    [InlineData("k8s_resource_purge", "Destructive", "name: \"purge\" is a destructive verb")]
    [InlineData("drop.table", "Destructive", "name: \"drop\" is a destructive verb")]
    [InlineData("refund_payment", "Financial", "name: \"refund\" is a financial verb")]
    [InlineData("create_refund", "Financial", "name: \"create\" acts on \"refund\": money moves")]
    [InlineData("create_payout", "Financial", "name: \"create\" acts on \"payout\": money moves")]
    public void Classify_ByName_GivesCategoryAndNamesTheVerb(string name, string expected, string reason)
    {
        var result = ToolClassifier.Classify(new ToolDefinition(name));

        Assert.Equal(Enum.Parse<ToolCategory>(expected), result.Category);
        Assert.Equal(reason, result.Reasons[0]);
    }

    [Fact]
    public void RiskOf_EveryCategory_FollowsTheTaxonomy()
    {
        // Keyed by every category there is, so a new category cannot fall to the switch's default unseen.
        var taxonomy = new Dictionary<ToolCategory, ToolRisk>
        {
            [ToolCategory.Read] = ToolRisk.Low,
            [ToolCategory.Write] = ToolRisk.Medium,
            [ToolCategory.Execute] = ToolRisk.High,
            [ToolCategory.Destructive] = ToolRisk.Critical,
            [ToolCategory.Financial] = ToolRisk.Critical,
        };

        Assert.Equal(Enum.GetValues<ToolCategory>(), taxonomy.Keys.Order());
        Assert.All(taxonomy, entry => Assert.Equal(entry.Value, ToolClassNames.RiskOf(entry.Key)));
    }

    [Fact]
    public void Classify_ReadVerbOnMoney_StaysRead()
    {
        Assert.Equal(ToolCategory.Read, ToolClassifier.Classify(new ToolDefinition("list_refunds")).Category);
        Assert.Equal(ToolCategory.Read, ToolClassifier.Classify(new ToolDefinition("get_balance")).Category);
    }

    [Fact]
    public void Classify_UnknownVerbEverywhere_IsWriteUntilReviewed()
    {
        var result = ToolClassifier.Classify(new ToolDefinition("containerize_app", "Suggests a Dockerfile for the application."));

        Assert.Equal(ToolCategory.Write, result.Category);
        Assert.StartsWith("no known verb", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_DescriptionOpensWithStrongerVerb_Raises()
    {
        var result = ToolClassifier.Classify(new ToolDefinition("get_snapshot", "Returns the snapshot. Permanently deletes it once it has been read."));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.Equal("description: opens with \"deletes\", a destructive verb", result.Reasons[0]);
        Assert.Equal("name: \"get\" is a read verb", result.Reasons[1]);
    }

    [Theory]
    [InlineData("Lists recent builds and their runs.")]
    [InlineData("Does not delete anything; use remove_item for that.")]
    [InlineData("Lists pods. Deleted pods are not shown.")]
    public void Classify_DescriptionMentionsVerbsItDoesNotOpenWith_StaysRead(string description) =>
        Assert.Equal(ToolCategory.Read, ToolClassifier.Classify(new ToolDefinition("list_items", description)).Category);

    /// <summary>
    /// Only a sentence's opening verb counts, with the verbs a comma or a join word adds to it; the word right
    /// after it is its object even when spelt like a verb (a reviewer's "Lists refunds." was financial).
    /// </summary>
    [Theory]
    [InlineData("list_refunds", "Lists refunds.", "Read", "name: \"list\" is a read verb")]
    [InlineData("helper", "Lists refunds.", "Read", "description: opens with \"lists\", a read verb")]
    [InlineData("helper", "List refunds.", "Read", "description: opens with \"list\", a read verb")]
    [InlineData("helper", "Lists charges.", "Read", "description: opens with \"lists\", a read verb")]
    [InlineData("helper", "Lists transfers.", "Read", "description: opens with \"lists\", a read verb")]
    [InlineData("helper", "Searches payouts.", "Read", "description: opens with \"searches\", a read verb")]
    [InlineData("helper", "Lists builds.", "Read", "description: opens with \"lists\", a read verb")]
    [InlineData("helper", "Gets deploys for a project.", "Read", "description: opens with \"gets\", a read verb")]
    [InlineData("helper", "Creates, updates or deletes resources.", "Destructive", "description: opens with \"deletes\", a destructive verb")]
    [InlineData("helper", "Lists, then deletes stale pods.", "Destructive", "description: opens with \"deletes\", a destructive verb")]
    [InlineData("helper", "Builds and deploys the app.", "Execute", "description: opens with \"builds\", an execute verb")]
    [InlineData("helper", "Creates or updates refunds.", "Financial", "description: \"creates\" acts on \"refunds\": money moves")]
    public void Classify_DescriptionOpeningVerbAndItsObject_OnlyJoinedVerbsCount(string name, string description, string expected, string reason)
    {
        var result = ToolClassifier.Classify(new ToolDefinition(name, description));

        Assert.Equal(Enum.Parse<ToolCategory>(expected), result.Category);
        Assert.Equal(reason, result.Reasons[0]);
    }

    [Fact]
    public void Classify_DescriptionAfterPreamble_ReadsTheVerb()
    {
        var result = ToolClassifier.Classify(new ToolDefinition("cluster_helper", "Use this tool to terminate idle nodes."));

        Assert.Equal(ToolCategory.Destructive, result.Category);
    }

    [Fact]
    public void Classify_ReadOnlyHintOnPurge_StaysDestructiveAndSaysWhy()
    {
        var result = ToolClassifier.Classify(new ToolDefinition(
            "purge_cache",
            "Deletes every cached entry.",
            Hints: new ToolHints(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false)));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.Equal(ToolRisk.Critical, result.Risk);
        Assert.Equal("annotation: readOnlyHint is true, not followed: a hint never lowers a class (destructive stands)", result.Reasons[^1]);
    }

    /// <summary>A hint that would lower the class is not followed: on an unknown tool, nor on a destructive name.</summary>
    [Theory]
    [InlineData("containerize_app", true, null, nameof(ToolCategory.Write))]
    [InlineData("delete_app", null, false, nameof(ToolCategory.Destructive))]
    public void Classify_LoweringHint_DoesNotLower(string tool, bool? readOnly, bool? destructive, string expected)
    {
        var result = ToolClassifier.Classify(new ToolDefinition(tool, Hints: new ToolHints(readOnly, destructive, null, null)));

        Assert.Equal(Enum.Parse<ToolCategory>(expected), result.Category);
    }

    [Fact]
    public void Classify_DestructiveHint_Raises()
    {
        var result = ToolClassifier.Classify(new ToolDefinition("list_stale_tasks", Hints: new ToolHints(null, true, null, null)));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.StartsWith("annotation: destructiveHint is true", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OperationEnumWithDelete_IsDestructiveAndRecordsEveryValue()
    {
        var result = ToolClassifier.Classify(new ToolDefinition(
            "manage_k8s_resource",
            "Manages one Kubernetes resource: create, get, list, patch or delete it.",
            Schema("""{"type":"object","properties":{"operation":{"type":"string","enum":["create","get","list","patch","delete"]},"name":{"type":"string"}}}""")));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.Equal("schema: \"operation\" can be \"delete\" (destructive)", result.Reasons[0]);
        Assert.Equal(ToolCategory.Write, result.CategoryWithoutOperation);
        var operation = Assert.IsType<OperationParameter>(result.Operation);
        Assert.Equal("args.operation", operation.Path);
        Assert.Equal(
            [("create", ToolCategory.Write), ("get", ToolCategory.Read), ("list", ToolCategory.Read), ("patch", ToolCategory.Write), ("delete", ToolCategory.Destructive)],
            operation.Values.Select(v => (v.Value, v.Category)));
    }

    [Fact]
    public void Classify_NestedActionAsConstChoices_IsFound()
    {
        var result = ToolClassifier.Classify(new ToolDefinition(
            "cluster_tool",
            InputSchema: Schema("""{"type":"object","properties":{"request":{"type":"object","properties":{"action":{"oneOf":[{"const":"describe"},{"const":"terminate"}]}}}}}""")));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.Equal("args.request.action", result.Operation!.Path);
    }

    /// <summary>How generators write an enum type: pydantic's <c>$defs</c>, optional and wrapped forms, draft-07's <c>definitions</c>, a nested model.</summary>
    [Theory]
    [InlineData("""{"type":"object","$defs":{"Op":{"type":"string","enum":["get","delete"]}},"properties":{"operation":{"$ref":"#/$defs/Op"}}}""", "args.operation")]
    [InlineData("""{"type":"object","$defs":{"Op":{"enum":["get","delete"]}},"properties":{"operation":{"anyOf":[{"$ref":"#/$defs/Op"},{"type":"null"}],"default":null}}}""", "args.operation")]
    [InlineData("""{"type":"object","$defs":{"Op":{"enum":["get","delete"]}},"properties":{"operation":{"allOf":[{"$ref":"#/$defs/Op"}],"description":"what to do"}}}""", "args.operation")]
    [InlineData("""{"type":"object","definitions":{"Op":{"enum":["get","delete"]}},"properties":{"action":{"$ref":"#/definitions/Op"}}}""", "args.action")]
    [InlineData("""{"type":"object","$defs":{"Req":{"type":"object","properties":{"action":{"$ref":"#/$defs/Op"}}},"Op":{"enum":["get","delete"]}},"properties":{"request":{"$ref":"#/$defs/Req"}}}""", "args.request.action")]
    public void Classify_OperationEnumBehindALocalRef_IsFound(string schema, string path)
    {
        var result = ToolClassifier.Classify(new ToolDefinition("manage_k8s_resource", "Manages resources.", Schema(schema)));

        Assert.Equal(ToolCategory.Destructive, result.Category);
        Assert.Equal(path, result.Operation!.Path);
        Assert.Equal(["get", "delete"], result.Operation.Values.Select(v => v.Value));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"operation":{"$ref":"https://example.com/op.json"}}}""")] // never fetched
    [InlineData("""{"type":"object","properties":{"operation":{"$ref":"#/$defs/Missing"}}}""")]
    [InlineData("""{"type":"object","$defs":{"A":{"$ref":"#/$defs/A"}},"properties":{"operation":{"$ref":"#/$defs/A"}}}""")] // a loop
    public void Classify_RefThatLeadsNowhere_IsNoEvidence(string schema)
    {
        var result = ToolClassifier.Classify(new ToolDefinition("manage_k8s_resource", "Manages resources.", Schema(schema)));

        Assert.Null(result.Operation);
    }

    [Fact]
    public void Classify_EnumThatSelectsNoOperation_IsNotEvidence()
    {
        var result = ToolClassifier.Classify(new ToolDefinition(
            "list_pods",
            InputSchema: Schema("""{"type":"object","properties":{"phase":{"type":"string","enum":["running","delete","failed"]}}}""")));

        Assert.Equal(ToolCategory.Read, result.Category);
        Assert.Null(result.Operation);
    }

    [Fact]
    public void Classify_UnknownOperationValue_CountsAsWriteNotRead()
    {
        var result = ToolClassifier.Classify(new ToolDefinition(
            "get_thing",
            InputSchema: Schema("""{"type":"object","properties":{"mode":{"enum":["frobnicate"]}}}""")));

        Assert.Equal(ToolCategory.Write, result.Category);
    }

    [Theory]
    [InlineData("buildAndPushImage", new[] { "build", "and", "push", "image" })]
    [InlineData("HTTPRequest_get", new[] { "http", "request", "get" })]
    [InlineData("k8s-resource.list", new[] { "k8s", "resource", "list" })]
    public void Words_SplitsAtSeparatorsAndHumps(string name, string[] words) =>
        Assert.Equal(words, ToolClassifier.Words(name));

    [Fact]
    public void Classify_SameInputTwice_SameResult()
    {
        var tool = new ToolDefinition("manage_k8s_resource", "Manages resources.", Schema("""{"type":"object","properties":{"operation":{"enum":["get","delete"]}}}"""));

        var first = ToolClassifier.Classify(tool);
        var second = ToolClassifier.Classify(tool);

        Assert.Equal(first.Category, second.Category);
        Assert.Equal(first.Reasons.ToArray(), second.Reasons.ToArray());
    }

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

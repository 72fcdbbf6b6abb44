namespace McpGateway.Tests.Policy;

/// <summary>
/// The documented examples in <c>infra/policies/</c> (copied next to the tests under <c>policies/</c>)
/// load, and mean what docs/policy-reference.md says they mean.
/// </summary>
public sealed class ExamplePoliciesTests
{
    private static readonly string PolicyDirectory = Path.Combine(AppContext.BaseDirectory, "policies");

    public static TheoryData<string> PolicyFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(PolicyDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Fact]
    public void PolicyDirectory_HoldsTheDocumentedExamples()
    {
        var files = Directory.GetFiles(PolicyDirectory, "*.json").Select(f => Path.GetFileName(f));

        Assert.Superset(new HashSet<string> { "ecr-builds.json", "stripe.json", "github.json" }, files.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(PolicyFiles))]
    public void ExamplePolicy_Validates(string file)
    {
        var result = PolicyParser.Parse(File.ReadAllBytes(Path.Combine(PolicyDirectory, file)));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
    }

    [Fact]
    public void Ecr_BuildTool_AllowedTenTimesAMinutePerGrant()
    {
        var policy = Load("ecr-builds.json");

        var decision = policy.Decide("build_and_push_image_to_ecr");

        Assert.Equal(DecisionKind.Allow, decision.Kind);
        var limit = Assert.Single(decision.Limits).Limit;
        Assert.Equal(("build_and_push_image_to_ecr_rate", 60L, 10L, LimitScope.Grant), (limit.Counter, limit.WindowSeconds, limit.Max, limit.Scope));
        Assert.Equal((DecisionKind.Deny, "default"), Outcome(policy, "delete_repository"));
    }

    [Fact]
    public void Stripe_ChargeAboveFiveHundred_DeniedWithTheRulesReason()
    {
        var decision = Load("stripe.json").Decide("create_charge", """{"amount":60000,"currency":"usd"}""");

        Assert.Equal((DecisionKind.Deny, "tools.create_charge.require[0]"), (decision.Kind, decision.Rule));
        Assert.Equal("Charges must be in USD or EUR and at most 500.00; at most 20,000.00 a day.", decision.Reason);
    }

    [Fact]
    public void Stripe_EuroCharge_AllowedAndCountedAgainstTheDailyAmountBudget()
    {
        var decision = Load("stripe.json").Decide("create_charge", """{"amount":1200,"currency":"eur"}""");

        Assert.Equal((DecisionKind.Allow, "tools.create_charge"), (decision.Kind, decision.Rule));
        Assert.Equal(
            [("charge_amount_daily", 1200L), ("charges_per_hour", 1L), ("stripe_calls", 1L)],
            decision.Limits.Select(l => (l.Limit.Counter, l.Increment)).OrderBy(l => l.Counter, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"amount":1200,"currency":"gbp"}""", "tools.create_charge.require[2]")]
    [InlineData("""{"amount":1200,"currency":"USD"}""", "tools.create_charge.require[2]")]
    [InlineData("""{"amount":1200}""", "tools.create_charge.require[2]")]
    [InlineData("""{"amount":0,"currency":"usd"}""", "tools.create_charge.require[1]")]
    [InlineData("""{"amount":"1200","currency":"usd"}""", "tools.create_charge.require[0]")]
    [InlineData("""{"amount":12.5,"currency":"usd"}""", "tools.create_charge.limits[0]")]
    public void Stripe_ChargeOutsideTheRules_Denied(string arguments, string rule)
    {
        var decision = Load("stripe.json").Decide("create_charge", arguments);

        Assert.Equal((DecisionKind.Deny, rule), (decision.Kind, decision.Rule));
    }

    [Fact]
    public void Stripe_Payout_NeedsApprovalWithinThirtyMinutes()
    {
        var decision = Load("stripe.json").Decide("create_payout", """{"amount":100000}""");

        Assert.Equal((DecisionKind.Approve, "tools.create_payout"), (decision.Kind, decision.Rule));
        Assert.Equal(TimeSpan.FromMinutes(30), decision.Approval!.Timeout);
        Assert.Equal("stripe_calls", Assert.Single(decision.Limits).Limit.Counter);
    }

    [Theory]
    [InlineData("create_refund", """{"charge":"ch_1234567890","amount":500}""", "Allow", "tools.create_refund")]
    [InlineData("create_refund", """{"charge":"ch_123","amount":500}""", "Deny", "tools.create_refund.require[0]")]
    [InlineData("create_refund", """{"charge":"ch_1234567890","amount":500,"reason":"fraudulent"}""", "Deny", "tools.create_refund.deny_if[0]")]
    [InlineData("delete_customer", "{}", "Deny", "tools.delete_customer")]
    [InlineData("list_customers", "{}", "Allow", "tools.list_customers")]
    [InlineData("update_customer", "{}", "Deny", "default")]
    public void Stripe_OtherTools_DecidedAsDocumented(string tool, string arguments, string kind, string rule)
    {
        var decision = Load("stripe.json").Decide(tool, arguments);

        Assert.Equal((Enum.Parse<DecisionKind>(kind), rule), (decision.Kind, decision.Rule));
    }

    [Theory]
    [InlineData("delete_repository", "hide[0]")]
    [InlineData("update_repository_settings", "hide[1]")]
    [InlineData("admin_users", "hide[2]")]
    [InlineData("admin_teams", "hide[2]")]
    public void GitHub_AdminTools_HiddenAndNotListed(string tool, string rule)
    {
        var policy = Load("github.json");

        Assert.Equal((DecisionKind.Hide, rule), Outcome(policy, tool));
        Assert.False(policy.IsListed(tool));
    }

    [Theory]
    [InlineData("main")]
    [InlineData("master")]
    [InlineData("release")]
    public void GitHub_PullRequestIntoProtectedBranch_Denied(string branch)
    {
        var decision = Load("github.json").Decide("create_pull_request", $$"""{"base":"{{branch}}","head":"feature"}""");

        Assert.Equal((DecisionKind.Deny, "tools.create_pull_request.deny_if[0]"), (decision.Kind, decision.Rule));
        Assert.Equal("Open pull requests against a feature branch; main, master and release are protected.", decision.Reason);
    }

    [Fact]
    public void GitHub_PullRequestIntoFeatureBranch_AllowedWithHourlyLimits()
    {
        var decision = Load("github.json").Decide("create_pull_request", """{"base":"develop","head":"feature"}""");

        Assert.Equal((DecisionKind.Allow, "tools.create_pull_request"), (decision.Kind, decision.Rule));
        Assert.Equal(["github_requests", "pull_requests_per_hour"], decision.Limits.Select(l => l.Limit.Counter).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("delete_branch")]
    [InlineData("delete_file")]
    public void GitHub_DeleteTools_DeniedByThePrefixRuleButListed(string tool)
    {
        var policy = Load("github.json");

        var decision = policy.Decide(tool);

        Assert.Equal((DecisionKind.Deny, "tools.delete_*"), (decision.Kind, decision.Rule));
        Assert.Equal("Deleting GitHub resources is reserved for people.", decision.Reason);
        Assert.True(policy.IsListed(tool));
    }

    [Theory]
    [InlineData("""{"branch":"main","files":[]}""", "tools.push_files.deny_if[0]")]
    [InlineData("""{"branch":"release/1.2","files":[]}""", "tools.push_files.deny_if[0]")]
    [InlineData("""{"branch":"feature/main","files":[]}""", "tools.push_files")]
    [InlineData("""{"branch":"mainline","files":[]}""", "tools.push_files")]
    public void GitHub_PushFiles_ProtectedBranchesDeniedByRegex(string arguments, string rule)
    {
        Assert.Equal(rule, Load("github.json").Decide("push_files", arguments).Rule);
    }

    [Theory]
    [InlineData("""{"branch":"feature/x","path":".github/workflows/ci.yml"}""", "tools.create_or_update_file.deny_if[1]")]
    [InlineData("""{"branch":"main","path":"README.md"}""", "tools.create_or_update_file.deny_if[0]")]
    [InlineData("""{"branch":"feature/x","path":"docs/.github/workflows/x.yml"}""", "tools.create_or_update_file")]
    [InlineData("""{"branch":"feature/x","path":"src/app.cs"}""", "tools.create_or_update_file")]
    public void GitHub_CreateOrUpdateFile_WorkflowsAndProtectedBranchesDenied(string arguments, string rule)
    {
        Assert.Equal(rule, Load("github.json").Decide("create_or_update_file", arguments).Rule);
    }

    [Fact]
    public void GitHub_UnlistedTool_AllowedByDefaultWithTheRequestBudget()
    {
        var policy = Load("github.json");

        var decision = policy.Decide("list_issues");
        var merge = policy.Decide("merge_pull_request");

        Assert.Equal((DecisionKind.Allow, "default"), (decision.Kind, decision.Rule));
        Assert.Equal("all_tools.limits[0]", Assert.Single(decision.Limits).Rule);
        Assert.Equal((DecisionKind.Approve, "tools.merge_pull_request"), (merge.Kind, merge.Rule));
        Assert.True(policy.IsListed("list_issues"));
    }

    private static CompiledPolicy Load(string file) =>
        PolicyTestKit.Compile(File.ReadAllText(Path.Combine(PolicyDirectory, file)));

    private static (DecisionKind Kind, string Rule) Outcome(CompiledPolicy policy, string tool)
    {
        var decision = policy.Decide(tool);
        return (decision.Kind, decision.Rule);
    }
}

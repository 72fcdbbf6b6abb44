namespace McpGateway.IntegrationTests.Approvals;

/// <summary>Calls that wait for a person (issue 7), through the real gateway process.</summary>
public sealed class ApprovalFlowTests
{
    [Fact]
    public async Task PendingThenApproved_IdenticalRetryRunsOnceAndOnlyOnce()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        await using var client = await CSharpClient.ConnectAsync(harness.McpUrl, harness.Token);
        var arguments = new Dictionary<string, object?> { ["amount"] = 5 };

        var pending = await client.CallToolAsync("charge", arguments);
        var approval = pending.Meta!["mcp-gateway/policy"]!["approval"]!;
        var id = approval["id"]!.GetValue<string>();
        Assert.True(pending.IsError);
        Assert.Equal("pending", approval["status"]!.GetValue<string>());
        Assert.Contains(id, CSharpClient.Text(pending), StringComparison.Ordinal);
        Assert.Equal(0, harness.Upstream.Calls("charge"));

        var (listStatus, list) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals");
        var listed = Assert.Single(list!["approvals"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(id, listed!["id"]!.GetValue<string>());
        Assert.Equal("charge", listed["tool"]!.GetValue<string>());
        Assert.Equal(["amount"], listed["argument_keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.DoesNotContain("\"amount\":5", list.ToJsonString(), StringComparison.Ordinal);

        var (approveStatus, approved) = await harness.ApproveAsync(id, "ok for the demo");
        Assert.Equal(HttpStatusCode.OK, approveStatus);
        Assert.Equal("alice", approved!["decided_by"]!.GetValue<string>());

        var run = await client.CallToolAsync("charge", arguments);
        Assert.NotEqual(true, run.IsError);
        Assert.Equal("charged 5", CSharpClient.Text(run));

        // Used once: the same call again needs a new approval.
        var again = await client.CallToolAsync("charge", arguments);
        Assert.True(again.IsError);
        Assert.NotEqual(id, again.Meta!["mcp-gateway/policy"]!["approval"]!["id"]!.GetValue<string>());
        Assert.Equal(1, harness.Upstream.Calls("charge"));

        var decisions = await harness.Gateway.WaitForDecisionsAsync(3);
        Assert.Equal(
            ["approval_pending", "forwarded", "approval_pending"],
            decisions.OrderBy(d => d.GetProperty("time").GetDateTimeOffset()).Select(d => d.GetProperty("outcome").GetString()));
        Assert.Contains(harness.Gateway.Process.StandardOutput, l => l.Contains("\"type\":\"approval\"", StringComparison.Ordinal) && l.Contains("\"admin\":\"alice\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejected_RetryIsDeniedWithTheApproverAndNote()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(9);

        var (status, _) = await harness.AdminAsync(HttpMethod.Post, $"/admin/approvals/{id}/reject", """{"note":"not this month"}""");
        var retry = await harness.ChargeAsync(9);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(retry.IsError);
        Assert.Contains("rejected by alice: not this month", retry.Body, StringComparison.Ordinal);
        Assert.Equal("rejected", ApprovalHarness.Policy(retry.Body)["approval"]!["status"]!.GetValue<string>());
        Assert.Equal(0, harness.Upstream.Calls("charge"));

        var (again, body) = await harness.ApproveAsync(id);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("rejected", body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedArguments_NotCoveredByAnEarlierApproval()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var first = await harness.PendingChargeAsync(5);
        await harness.ApproveAsync(first);

        var other = await harness.ChargeAsync(6);

        Assert.True(other.IsError);
        Assert.NotEqual(first, ApprovalHarness.ApprovalId(other.Body));
        Assert.Equal("pending", ApprovalHarness.Policy(other.Body)["approval"]!["status"]!.GetValue<string>());
        Assert.Equal(0, harness.Upstream.Calls("charge"));
    }

    [Fact]
    public async Task LimitDenial_DoesNotConsumeTheApproval()
    {
        await using var harness = await ApprovalHarness.StartAsync(chargeLimit: 1);
        await harness.ApproveAsync(await harness.PendingChargeAsync(1));
        Assert.False((await harness.ChargeAsync(1)).IsError);
        var second = await harness.PendingChargeAsync(2);
        await harness.ApproveAsync(second);

        var limited = await harness.ChargeAsync(2);
        var (_, shown) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals/" + second);

        Assert.True(limited.IsError);
        Assert.Equal("tools.charge.limits[0]", ApprovalHarness.Policy(limited.Body)["rule"]!.GetValue<string>());
        Assert.Equal("approved", shown!["status"]!.GetValue<string>());
        Assert.Equal(1, harness.Upstream.Calls("charge"));
    }

    [Fact]
    public async Task CrossedCredentials_GrantTokenOnAdminApiOrAdminCredentialOnMcp_Refused()
    {
        await using var harness = await ApprovalHarness.StartAsync();

        var (withGrant, body) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals", token: harness.Token);
        var (noToken, _) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals", token: "");
        var toolsWithAdmin = await RawToolCall.SendAsync(harness.McpUrl, ApprovalHarness.AdminToken, "echo", """{"message":"x"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, withGrant);
        Assert.Contains("admin credential", body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        Assert.Equal(HttpStatusCode.Unauthorized, toolsWithAdmin.Status);
        Assert.Equal(0, harness.Upstream.TotalCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IncludeArguments_PendingListCarriesTheValues_TooLargeOnesAreFlaggedNotKept(bool dynamoDb)
    {
        await using var dynalite = dynamoDb ? await Dynalite.StartAsync() : null;
        var environment = dynalite is null ? null : dynalite.Environment(await dynalite.CreateTableAsync());
        await using var harness = await ApprovalHarness.StartAsync(includeArguments: true, environment: environment);
        var small = await harness.PendingChargeAsync("""{"amount":7,"memo":"<b>rent</b>","tags":["a",1]}""");
        var large = await harness.PendingChargeAsync($$"""{"amount":8,"memo":"{{new string('x', 17_000)}}"}""");

        var (status, body) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals");

        Assert.Equal(HttpStatusCode.OK, status);
        var approvals = body!["approvals"]!.AsArray();
        var kept = approvals.Single(a => a!["id"]!.GetValue<string>() == small)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"amount":7,"memo":"<b>rent</b>","tags":["a",1]}"""), kept["arguments"]), kept.ToJsonString());
        Assert.Null(kept["arguments_too_large"]);
        var flagged = approvals.Single(a => a!["id"]!.GetValue<string>() == large)!;
        Assert.Null(flagged["arguments"]);
        Assert.True(flagged["arguments_too_large"]!.GetValue<bool>());
        Assert.Equal(["amount", "memo"], flagged["argument_keys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task WithoutIncludeArguments_PendingListHasKeysButNoValues()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync("""{"amount":7,"memo":"private"}""");

        var (_, body) = await harness.AdminAsync(HttpMethod.Get, "/admin/approvals");

        var record = body!["approvals"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!;
        Assert.Null(record["arguments"]);
        Assert.DoesNotContain("private", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwentyConcurrentRetries_OnDynamoDb_ExactlyOneRuns()
    {
        await using var dynalite = await Dynalite.StartAsync();
        var table = await dynalite.CreateTableAsync();
        await using var harness = await ApprovalHarness.StartAsync(environment: dynalite.Environment(table));
        var id = await harness.PendingChargeAsync(7);
        Assert.Equal(HttpStatusCode.OK, (await harness.ApproveAsync(id)).Status);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var retries = Enumerable.Range(0, 20).Select(_ => Task.Run(async () => { await gate.Task; return await harness.ChargeAsync(7); })).ToArray();
        gate.SetResult();
        var results = await Task.WhenAll(retries);

        Assert.Single(results, r => !r.IsError);
        Assert.Equal(1, harness.Upstream.Calls("charge"));
        Assert.All(results.Where(r => r.IsError), r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    [Fact]
    public async Task CliApprovals_ListAndApprove_AgainstTheGateway()
    {
        await using var harness = await ApprovalHarness.StartAsync();
        var id = await harness.PendingChargeAsync(3);
        string[] common = ["--gateway", harness.Gateway.BaseUrl.ToString(), "--admin-token", ApprovalHarness.AdminToken];

        var listOutput = new StringWriter();
        var listExit = await McpGateway.Cli.CliApp.RunAsync(["approvals", "list", .. common], listOutput, new StringWriter());
        var approveOutput = new StringWriter();
        var approveExit = await McpGateway.Cli.CliApp.RunAsync(["approvals", "approve", id, "--note", "via the cli", .. common], approveOutput, new StringWriter());
        var wrongError = new StringWriter();
        var wrongExit = await McpGateway.Cli.CliApp.RunAsync(["approvals", "list", "--gateway", harness.Gateway.BaseUrl.ToString(), "--admin-token", harness.Token], new StringWriter(), wrongError);

        Assert.Equal(0, listExit);
        Assert.Contains(id, listOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, approveExit);
        Assert.Equal("approved", JsonDocument.Parse(approveOutput.ToString()).RootElement.GetProperty("status").GetString());
        Assert.Equal(1, wrongExit);
        Assert.StartsWith("401", wrongError.ToString(), StringComparison.Ordinal);
        Assert.False((await harness.ChargeAsync(3)).IsError);
    }
}

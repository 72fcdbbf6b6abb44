using McpGateway.IntegrationTests.EndToEnd;

namespace McpGateway.IntegrationTests.RateLimiting;

/// <summary>Gateways with the DynamoDB store (dynalite) selected by configuration (issue 4).</summary>
public sealed class SharedCounterGatewayTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task ServerEverythingScenario_DynamoDbStore_LimitsAndDenialsAsInMemory()
    {
        var table = await dynamo.Dynalite.CreateTableAsync();
        await using var upstream = await ServerEverything.StartAsync();
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, Scenario.Everything.Policy, dynamo.Dynalite.Environment(table));
        await gateway.Process.WaitForLineAsync(new(@"counters are kept in DynamoDB table " + table), TimeSpan.FromSeconds(10));

        var calls = TypeScriptClient.Calls(
            ("echo", new { message = "hello" }),
            ("get-tiny-image", new { }),
            ("get-sum", new { a = 1, b = 2 }),
            ("get-sum", new { a = 1, b = 2 }),
            ("get-sum", new { a = 1, b = 2 }),
            ("get-sum", new { a = 1, b = 2 }),
            ("get-sum", new { a = 1, b = 2 }));
        var run = await TypeScriptClient.RunAsync(gateway.McpUrl("upstream"), gateway.Token, calls);

        Assert.True(run.GetProperty("ok").GetBoolean(), run.ToString());
        var errors = run.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("isError").ValueKind == JsonValueKind.True).ToArray();
        Assert.Equal([false, true, false, false, false, true, true], errors);
        var limited = run.GetProperty("calls")[5].GetProperty("_meta").GetProperty("mcp-gateway/policy");
        Assert.Equal("tools.get-sum.limits[0]", limited.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task TwoGatewayProcesses_OneTable_LimitHoldsAcrossBoth()
    {
        const int limit = 12;
        var table = await dynamo.Dynalite.CreateTableAsync();
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("upstream", upstream.Url)
            .Policy("shared", """{"version":"1","default":"deny","tools":{"echo":{"limits":[{"counter":"shared","window":31536000,"max":12}]}}}""")
            .Grant("agent", "upstream", "shared", out var token)
            .Build();
        await using var first = await GatewayProcess.StartAsync(config, dynamo.Dynalite.Environment(table));
        await using var second = await GatewayProcess.StartAsync(config, dynamo.Dynalite.Environment(table));

        // Both processes at once, 20 calls each, through the C# client.
        async Task<int> AdmittedAsync(GatewayProcess gateway)
        {
            await using var client = await CSharpClient.ConnectAsync(gateway.McpUrl("upstream"), token);
            var calls = Enumerable.Range(0, 20).Select(_ => client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());
            return (await Task.WhenAll(calls)).Count(r => r.IsError != true);
        }

        var admitted = await Task.WhenAll(AdmittedAsync(first), AdmittedAsync(second));

        var outcomes = string.Join(", ", first.Decisions().Concat(second.Decisions()).Select(d => d.GetProperty("outcome").GetString() + "/" + GatewayConfig.Int(d, "upstream_status")));
        Assert.True(limit == admitted.Sum(), $"admitted {admitted.Sum()}: {outcomes}");
        Assert.Equal(limit, upstream.Calls("echo"));
    }
}

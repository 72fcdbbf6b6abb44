using System.Text.RegularExpressions;
using McpGateway.Configuration;

namespace McpGateway.IntegrationTests.Enforcement;

/// <summary>Shadow rules and limits through the real gateway, with in-memory and DynamoDB (dynalite) counters (issue 17).</summary>
public sealed class ShadowModeGatewayTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private const long Year = 31_536_000;

    private const string RulesPolicy = """
        {"version":"1","default":"allow",
         "tools":{
           "echo":{"limits":[{"counter":"echo_shadow","window":31536000,"max":2,"mode":"shadow"},{"counter":"echo","window":31536000,"max":3}]},
           "add":{"action":"deny","mode":"shadow","reason":"adds are going away"},
           "secret":{"action":"approve","mode":"shadow"},
           "charge":{"mode":"shadow","require":[{"path":"args.amount","op":"lte","value":100}]}}}
        """;

    private const string DocumentPolicy = """
        {"version":"1","default":"allow","mode":"shadow","hide":["secret"],
         "all_tools":{"mode":"shadow","limits":[{"counter":"everything","window":31536000,"max":1}]}}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShadowRules_WouldDeny_CallsGoOnAndLinesSayWhatWouldHaveHappened(bool dynamoDb)
    {
        var table = dynamoDb ? await dynamo.Dynalite.CreateTableAsync() : null;
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        var config = new GatewayConfig()
            .Server("upstream", upstream.Url)
            .Policy("rules", RulesPolicy)
            .Policy("document", DocumentPolicy)
            .Grant("agent", "upstream", "rules", out var token)
            .Grant("whole", "upstream", "document", out var wholeToken);
        await using var gateway = await GatewayProcess.StartAsync(config.Build(), table is null ? null : dynamo.Dynalite.Environment(table));
        var url = gateway.McpUrl("upstream");

        var echoes = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            echoes.Add((await RawToolCall.SendAsync(url, token, "echo", """{"message":"hi"}""")).IsError);
        }

        Assert.False((await RawToolCall.SendAsync(url, token, "add", """{"a":1,"b":2}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, token, "secret", """{"message":"s"}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, token, "charge", """{"amount":500}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, token, "charge", """{"amount":5}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, wholeToken, "echo", """{"message":"1"}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, wholeToken, "echo", """{"message":"2"}""")).IsError);
        Assert.False((await RawToolCall.SendAsync(url, wholeToken, "secret", """{"message":"3"}""")).IsError);

        // The enforced limit of 3 admits 3 echoes although the shadow limit of 2 was reached: separate budgets.
        Assert.Equal([false, false, false, true], echoes);
        Assert.Equal(5, upstream.Calls("echo"));
        Assert.Equal(2, upstream.Calls("secret"));

        var lines = await gateway.WaitForDecisionsAsync(11);
        string Shadow(int i) => lines[i].TryGetProperty("shadow", out var s)
            ? $"{s.GetProperty("decision").GetString()} {s.GetProperty("rule").GetString()}"
            : "-";
        Assert.Equal(
            ["-", "-", "deny tools.echo.limits[0]", "-", "deny tools.add", "approve tools.secret",
             "deny tools.charge.require[0]", "-", "-", "deny all_tools.limits[0]", "hide hide[0]"],
            Enumerable.Range(0, 11).Select(Shadow));
        Assert.Equal(
            ["forwarded", "forwarded", "forwarded", "rate_limited", "forwarded", "forwarded", "forwarded", "forwarded", "forwarded", "forwarded", "forwarded"],
            lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.Equal("tools.echo.limits[1]", lines[3].GetProperty("rule").GetString());
        Assert.StartsWith("rate limit \"echo_shadow\" reached: at most 2 per", lines[2].GetProperty("shadow").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("adds are going away", lines[4].GetProperty("shadow").GetProperty("reason").GetString());

        // A shadow approval is only reported: no approval is created or consulted.
        Assert.Equal(JsonValueKind.Null, lines[5].GetProperty("approval_id").ValueKind);

        if (table is not null)
        {
            var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / Year * Year;
            Assert.Equal(3, await dynamo.Dynalite.CountAsync(table, $"upstream/grant:agent/echo/{Year}/{start}"));
            Assert.Equal(2, await dynamo.Dynalite.CountAsync(table, $"upstream/shadow.grant:agent/echo_shadow/{Year}/{start}"));
            Assert.Equal(1, await dynamo.Dynalite.CountAsync(table, $"upstream/shadow.grant:whole/everything/{Year}/{start}"));
            Assert.Equal(0, await dynamo.Dynalite.CountAsync(table, $"upstream/grant:agent/echo_shadow/{Year}/{start}"));
        }
    }

    /// <summary>
    /// A shadowed limit switched to enforce on a live Parameter Store change goes on from the use the shadow counted
    /// in its window: with 2 of 3 used in shadow, the first enforced call is the last one admitted.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShadowLimitSwitchedToEnforce_LiveChange_EnforcedBudgetStartsFromTheShadowUse(bool dynamoDb)
    {
        const string Token = "mcpgw_shadow-switch-test-token-0123456789";
        const string Prefix = "/gw-switch";
        await using var moto = await MotoServer.StartAsync();
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        string LimitPolicy(string mode) =>
            "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"echo\":{\"limits\":[{\"counter\":\"echo\",\"window\":31536000,\"max\":3,\"mode\":\"" + mode + "\"}]}}}";
        await moto.PutAsync(Prefix + "/servers/upstream", new JsonObject { ["url"] = upstream.Url.ToString() }.ToJsonString());
        await moto.PutAsync(Prefix + "/policies/main", LimitPolicy("shadow"));
        await moto.PutAsync(Prefix + "/grants/agent", new JsonObject { ["token_sha256"] = TokenHash.Of(Token), ["server"] = "upstream", ["policy"] = "main" }.ToJsonString());
        var environment = MotoServer.Environment(moto.Port);
        environment["Gateway__Ssm__RefreshSeconds"] = "1";
        if (dynamoDb)
        {
            foreach (var (name, value) in dynamo.Dynalite.Environment(await dynamo.Dynalite.CreateTableAsync()).Where(e => !e.Key.StartsWith("AWS_", StringComparison.Ordinal)))
            {
                environment[name] = value;
            }

            environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Dynalite.Endpoint.ToString();
        }

        await using var gateway = await GatewayProcess.StartWithSsmAsync(Prefix, environment);
        var url = gateway.McpUrl("upstream");
        await RawToolCall.UntilAsync(url, Token, "add", r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        var shadowed = new[] { await RawToolCall.SendAsync(url, Token, "echo", """{"message":"1"}"""), await RawToolCall.SendAsync(url, Token, "echo", """{"message":"2"}""") };

        await moto.PutAsync(Prefix + "/policies/main", LimitPolicy("enforce"));
        var switched = await gateway.Process.WaitForLineAsync(new Regex("^\\{\"type\":\"policy_mode\".*main:2\".*$"), TimeSpan.FromSeconds(60));
        var enforced = new[] { await RawToolCall.SendAsync(url, Token, "echo", """{"message":"3"}"""), await RawToolCall.SendAsync(url, Token, "echo", """{"message":"4"}""") };

        Assert.True(switched.Success);
        Assert.All(shadowed, r => Assert.False(r.IsError, r.Body));
        Assert.False(enforced[0].IsError, enforced[0].Body);
        Assert.True(enforced[1].IsError, enforced[1].Body);
        Assert.Contains("\"rule\":\"tools.echo.limits[0]\"", enforced[1].Body, StringComparison.Ordinal);
        Assert.Contains("\"current\":3", enforced[1].Body, StringComparison.Ordinal);
        Assert.Equal(3, upstream.Calls("echo"));
    }

    [Fact]
    public async Task ShadowHide_ToolsList_StillListsTheTool()
    {
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, DocumentPolicy);

        await using var client = await gateway.ConnectAsync("upstream");
        var tools = await client.ListToolsAsync();

        Assert.Contains(tools, t => t.Name == "secret");
    }
}

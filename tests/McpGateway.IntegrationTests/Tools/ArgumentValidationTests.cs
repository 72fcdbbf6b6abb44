namespace McpGateway.IntegrationTests.Tools;

/// <summary>
/// <c>validate_arguments</c> (issue 15) through the real gateway process: calls are checked against the input
/// schema the C# SDK upstream lists (JSON Schema 2020-12 and draft-07), before they are counted or forwarded, and
/// the type-confusion cases of argument conditions are denied.
/// </summary>
public sealed class ArgumentValidationTests : IAsyncLifetime
{
    private const string Configure = """
        {"name":"configure","description":"Configures a deployment",
         "inputSchema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
           "properties":{"target":{"type":"string","enum":["staging","prod"]},"replicas":{"type":"integer","minimum":1},
             "options":{"type":"object","properties":{"region":{"type":"string"}},"required":["region"],"additionalProperties":false},
             "blob":{"type":"string"}},
           "required":["target"],"additionalProperties":false}}
        """;

    private const string Legacy = """
        {"name":"legacy","description":"An older server's tool",
         "inputSchema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
           "properties":{"count":{"type":"integer"},"labels":{"type":"array","items":{"type":"string"}}},
           "required":["count"],"additionalProperties":false}}
        """;

    private const string Deploy = """
        {"name":"deploy","description":"Deploys","inputSchema":{"type":"object","properties":{"target":{}}}}
        """;

    private const string Policy = """
        {"version":"1","default":"deny","tools":{
          "configure":{"validate_arguments":true,"limits":[{"counter":"configure","max":1000,"window":"minute"}]},
          "legacy":{"validate_arguments":true},
          "deploy":{"deny_if":[{"path":"args.target","op":"in","value":["prod"]}]},
          "echo":{}}}
        """;

    private const string Secret = "s3cr3t-value-never-logged";

    private SdkUpstream _upstream = null!;
    private GrantedGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await SdkUpstream.StartAsync();
        _upstream.SetTool(Configure);
        _upstream.SetTool(Legacy);
        _upstream.SetTool(Deploy);
        _gateway = await GrantedGateway.StartAsync("up", _upstream.Url, Policy);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("configure", """{"target":5}""", "\"type\" failed at /target")]
    [InlineData("configure", """{"target":"dev"}""", "\"enum\" failed at /target")]
    [InlineData("configure", """{"replicas":2}""", "\"required\" failed")]
    [InlineData("configure", """{"target":"staging","extra":"s3cr3t-value-never-logged"}""", "\"additionalProperties\" failed")]
    [InlineData("configure", """{"target":"staging","replicas":0}""", "\"minimum\" failed at /replicas")]
    [InlineData("configure", """{"target":"staging","options":{"region":7}}""", "\"type\" failed at /options/region")]
    [InlineData("configure", """{"target":"staging","options":{}}""", "\"required\" failed")]
    [InlineData("configure", """{"target":"staging","options":{"region":"eu","zone":"s3cr3t-value-never-logged"}}""", "\"additionalProperties\" failed")]
    [InlineData("legacy", """{"count":"3"}""", "\"type\" failed at /count")]
    [InlineData("legacy", """{"count":3,"labels":["a",1]}""", "\"type\" failed at /labels/1")]
    [InlineData("legacy", """{}""", "\"required\" failed")]
    public async Task ArgumentsBreakingTheSchema_DeniedNamingKeywordAndPathNeverTheValue(string tool, string arguments, string expected)
    {
        var (isError, text) = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, tool, arguments);

        Assert.True(isError, text);
        Assert.Contains("arguments do not match the tool's inputSchema: " + expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.Calls(tool));
        var decision = Assert.Single(await _gateway.WaitForDecisionsAsync(1));
        Assert.Equal("denied", decision.GetProperty("outcome").GetString());
        Assert.Equal($"tools.{tool}.validate_arguments", decision.GetProperty("rule").GetString());
        Assert.DoesNotContain(_gateway.Gateway.OutputLines(), l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("configure", """{"target":"staging","replicas":3,"options":{"region":"eu-west-1"}}""")]
    [InlineData("legacy", """{"count":3,"labels":["a","b"]}""")]
    public async Task ConformingArguments_AreForwarded(string tool, string arguments)
    {
        var (isError, text) = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, tool, arguments);

        Assert.False(isError, text);
        Assert.StartsWith($"{tool} ran with", text, StringComparison.Ordinal);
        Assert.Equal(1, _upstream.Calls(tool));
    }

    [Fact]
    public async Task LargeArguments_AreValidated_Both16KiBConformingAndBroken()
    {
        var blob = new string('x', 16 * 1024);
        var ok = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, "configure", $$"""{"target":"prod","blob":"{{blob}}"}""");
        Assert.False(ok.IsError, ok.Text);

        var broken = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, "configure", $$"""{"target":"prod","blob":"{{blob}}","replicas":"many"}""");
        Assert.Contains("\"type\" failed at /replicas", broken.Text, StringComparison.Ordinal);
        Assert.Equal(1, _upstream.Calls("configure"));
    }

    [Theory]
    [InlineData("""{"target":["prod"]}""")]
    [InlineData("""{"target":{"v":"prod"}}""")]
    [InlineData("""{"target":[]}""")]
    public async Task StructuredValueUnderAScalarCondition_IsDenied(string arguments)
    {
        var (isError, text) = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, "deploy", arguments);

        Assert.True(isError, text);
        Assert.Contains("args.target", text, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.Calls("deploy"));
    }

    [Fact]
    public async Task ScalarValueTheConditionAllows_IsForwarded()
    {
        var (isError, text) = await RawToolCall.CallAsync(_gateway.McpUrl("up"), _gateway.Token, "deploy", """{"target":"staging"}""");

        Assert.False(isError, text);
        Assert.Equal(1, _upstream.Calls("deploy"));
    }
}

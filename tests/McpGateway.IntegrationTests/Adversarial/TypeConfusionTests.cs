namespace McpGateway.IntegrationTests.Adversarial;

/// <summary>
/// Issue 15: an agent sends an argument of another shape than the policy's literal (<c>["prod"]</c>,
/// <c>{"v":"prod"}</c> for <c>deny_if args.message in ["prod"]</c>). An upstream that coerces types would
/// act on prod, so the real gateway must deny these under <c>deny_if</c> and <c>require</c> alike, and the
/// C# SDK upstream, which counts the calls reaching it, proves none was forwarded.
/// </summary>
public sealed class TypeConfusionTests : IAsyncLifetime
{
    private const string Policy = """
        {"version":"1","default":"deny","tools":{
          "echo":{"deny_if":[{"path":"args.message","op":"in","value":["prod"]}]},
          "add":{"require":[{"path":"args.a","op":"neq","value":"prod"}]}}}
        """;

    private SdkUpstream _upstream = null!;
    private GrantedGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await SdkUpstream.StartAsync();
        _gateway = await GrantedGateway.StartAsync("upstream", _upstream.Url, Policy);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    [Fact]
    public async Task ToolsCall_StructuredArgumentAgainstScalarCondition_DeniedUnderDenyIfAndRequireWithoutForwarding()
    {
        var url = _gateway.McpUrl("upstream");
        (string Tool, string Arguments)[] confused =
        [
            ("echo", """{"message":["prod"]}"""),
            ("echo", """{"message":{"v":"prod"}}"""),
            ("echo", """{"message":[["prod"]]}"""),
            ("echo", """{"message":[]}"""),
            ("add", """{"a":["prod"],"b":1}"""),
            ("add", """{"a":{"v":2},"b":1}"""),
        ];

        foreach (var (tool, arguments) in confused)
        {
            var (status, isError, body) = await RawToolCall.SendAsync(url, _gateway.Token, tool, arguments);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(isError, body);
            Assert.Contains("must be a string, a number or a boolean", body, StringComparison.Ordinal);
        }

        Assert.Equal(0, _upstream.TotalCalls);

        // The scalar forms are judged as before: "prod" is denied, anything else reaches the upstream.
        var prod = await RawToolCall.SendAsync(url, _gateway.Token, "echo", """{"message":"prod"}""");
        Assert.True(prod.IsError, prod.Body);
        Assert.Contains("denied because args.message in [", prod.Body, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.TotalCalls);

        var dev = await RawToolCall.SendAsync(url, _gateway.Token, "echo", """{"message":"dev-7f3a"}""");
        Assert.False(dev.IsError, dev.Body);
        var sum = await RawToolCall.SendAsync(url, _gateway.Token, "add", """{"a":2,"b":1}""");
        Assert.False(sum.IsError, sum.Body);
        Assert.Equal(1, _upstream.Calls("echo"));
        Assert.Equal(1, _upstream.Calls("add"));

        var decisions = await _gateway.WaitForDecisionsAsync(confused.Length + 3);
        Assert.Equal(confused.Length + 1, decisions.Count(d => d.GetProperty("outcome").GetString() == "denied"));
        Assert.All(decisions, d => Assert.DoesNotContain("dev-7f3a", d.GetRawText(), StringComparison.Ordinal));
    }
}

namespace McpGateway.Tests.Enforcement;

/// <summary>
/// A shadowed <c>validate_arguments</c> (issue 17): the call goes on as enforcement decides, and the decision line says
/// what checking its arguments against the tool's schema would have done.
/// </summary>
public sealed class ShadowValidationTests : IAsyncLifetime
{
    private const string Deploy = """
        {"name":"deploy","inputSchema":{"type":"object","properties":{"target":{"enum":["staging","production"]}},"required":["target"]}}
        """;

    private SdkUpstream _upstream = null!;
    private InProcessGateway _gateway = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        _upstream.SetTool(Deploy);
        var config = new GatewayConfig()
            .Server("upstream", _upstream.Url)
            .Policy("p", """{"version":"1","default":"allow","tools":{"deploy":{"validate_arguments":true,"mode":"shadow"}}}""")
            .Grant("agent", "upstream", "p", out _token);
        _gateway = await InProcessGateway.StartAsync(config.Build());
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ShadowedValidation_BadArguments_ForwardedAndTheLineCarriesTheShadowDenial()
    {
        var bad = await RawToolCall.CallAsync(_gateway.McpUrl("upstream"), _token, "deploy", """{"target":"moon"}""");
        var good = await RawToolCall.CallAsync(_gateway.McpUrl("upstream"), _token, "deploy", """{"target":"staging"}""");

        Assert.False(bad.IsError, bad.Text);
        Assert.False(good.IsError, good.Text);
        Assert.Equal(2, _upstream.Calls("deploy"));
        var lines = await _gateway.Decisions.WaitForAsync(2);
        Assert.Equal(("deny", "tools.deploy.validate_arguments"), (lines[0].Shadow?.Decision, lines[0].Shadow?.Rule));
        Assert.Contains("\"enum\" failed at /target", lines[0].Shadow!.Reason, StringComparison.Ordinal);
        Assert.Null(lines[1].Shadow);
    }
}

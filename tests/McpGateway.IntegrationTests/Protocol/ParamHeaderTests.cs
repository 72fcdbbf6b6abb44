namespace McpGateway.IntegrationTests.Protocol;

/// <summary>
/// <c>Mcp-Param-*</c> headers (MCP 2026-07-28, SEP-2243, issue 21) through the real gateway in front of a C# SDK
/// upstream whose tool marks <c>region</c> with <c>x-mcp-header: "Region"</c>: a header that carries the body's
/// value (verbatim or Base64-encoded) reaches the upstream; one that disagrees with the body, or names no
/// parameter, is a HeaderMismatch (400, -32020) and never reaches it.
/// </summary>
public sealed class ParamHeaderTests : IAsyncLifetime
{
    private const string Tool = """
        {"name":"deploy","description":"Deploys to a region","inputSchema":{"type":"object","properties":{
          "region":{"type":"string","x-mcp-header":"Region"},"replicas":{"type":"integer","x-mcp-header":"Replicas"}}}}
        """;

    private static readonly HttpClient Http = new();

    private SdkUpstream Upstream { get; set; } = null!;

    private GrantedGateway Gateway { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        Upstream.SetTool(Tool);
        Gateway = await GrantedGateway.StartAsync("deployer", Upstream.Url, """{"version":"1","default":"allow"}""");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("us-west1", "us-west1")]
    [InlineData("Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?=")]
    public async Task MatchingHeader_IsForwardedToTheUpstream(string region, string header)
    {
        var (status, answer) = await CallAsync(region, 3, ("Mcp-Param-Region", header), ("Mcp-Param-Replicas", "3"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer.TryGetProperty("result", out _), answer.GetRawText());
        var seen = Upstream.RequestHeaders.Last(h => h.ContainsKey("Mcp-Param-Region"));
        Assert.Equal(header, seen["Mcp-Param-Region"]);
        Assert.Equal("3", seen["Mcp-Param-Replicas"]);
    }

    [Theory]
    [InlineData("Mcp-Param-Region", "eu-north1", "does not match the arguments")]
    [InlineData("Mcp-Param-Region", "=?base64?bm90IHRoZSBib2R5?=", "does not match the arguments")]
    [InlineData("Mcp-Param-Zone", "us-west1", "names no x-mcp-header parameter")]
    public async Task HeaderThatDisagreesWithTheBody_IsAHeaderMismatch(string name, string value, string problem)
    {
        var calls = Upstream.Calls("deploy");

        var (status, answer) = await CallAsync("us-west1", 3, (name, value), ("Mcp-Param-Replicas", "3"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32020, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains(problem, answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(calls, Upstream.Calls("deploy"));
    }

    [Fact]
    public async Task HeaderMissingForAValueTheBodyHas_IsAHeaderMismatch()
    {
        var (status, answer) = await CallAsync("us-west1", 3, ("Mcp-Param-Replicas", "3"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Mcp-Param-Region is required", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrayHeaderOnAHiddenTool_AnsweredAsForAToolThatDoesNotExist()
    {
        // Were the headers checked before the policy, the hidden tool's schema would answer 400 "names no
        // x-mcp-header parameter" where a tool the server lacks gets the denial: the tool's existence would show.
        await using var gateway = await GrantedGateway.StartAsync("deployer", Upstream.Url, """{"version":"1","default":"deny","hide":["deploy"],"tools":{"status":{}}}""");
        var requests = Upstream.RequestBodies.Count;

        var hidden = await SendAsync(gateway, "deploy", ("Mcp-Param-Probe", "1"));
        var missing = await SendAsync(gateway, "no_such_tool", ("Mcp-Param-Probe", "1"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (hidden.Status, missing.Status));
        Assert.Equal(missing.Message.GetProperty("result").GetRawText(), hidden.Message.GetProperty("result").GetRawText());
        Assert.Equal(requests, Upstream.RequestBodies.Count);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Message)> SendAsync(GrantedGateway gateway, string tool, params (string Name, string Value)[] headers)
    {
        using var request = RawToolCall.Request(gateway.McpUrl("deployer"), gateway.Token, tool, "\"arguments\":{\"region\":\"us-west1\"}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Message)> CallAsync(string region, int replicas, params (string Name, string Value)[] headers)
    {
        using var request = RawToolCall.Request(Gateway.McpUrl("deployer"), Gateway.Token, "deploy", "\"arguments\":{\"region\":" + JsonSerializer.Serialize(region) + ",\"replicas\":" + replicas + "}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        return (response.StatusCode, document.RootElement.Clone());
    }
}

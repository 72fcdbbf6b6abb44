using System.Net.Http.Headers;

namespace McpGateway.IntegrationTests.RateLimiting;

/// <summary>A limit holds exactly when many calls arrive at once (issue 3).</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ToolsCall_200SimultaneousAgainstLimitOf20_AdmitsExactly20()
    {
        const int calls = 200;
        const int limit = 20;
        await using var upstream = await SdkUpstream.StartAsync(jsonResponses: true);
        await using var gateway = await GrantedGateway.StartAsync("upstream", upstream.Url, """{"version":"1","default":"deny","tools":{"echo":{"limits":[{"counter":"burst","window":31536000,"max":""" + GatewayConfig.Number(limit) + "}]}}}");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = calls });
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.McpUrl("upstream"))
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":""" + GatewayConfig.Number(i) + ""","method":"tools/call","params":{"name":"echo","arguments":{"message":"m"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"load","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.Token);
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
            request.Headers.Add("Mcp-Method", "tools/call");
            request.Headers.Add("Mcp-Name", "echo");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            using var body = JsonDocument.Parse(text);
            Assert.True(body.RootElement.TryGetProperty("result", out _), text);
            var result = body.RootElement.GetProperty("result");
            return result.TryGetProperty("isError", out var isError) && isError.GetBoolean();
        })).ToArray();

        // Every request is ready before any is sent, so they reach the gateway together.
        start.SetResult();
        var responses = await Task.WhenAll(pending);

        var denied = responses.Count(d => d);
        Assert.Equal(calls - limit, denied);
        Assert.Equal(limit, upstream.Calls("echo"));
    }
}

using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.EndToEnd;

namespace McpGateway.IntegrationTests.LocalRun;

/// <summary>The README's run command (<c>make run</c> runs <c>infra/run-local.sh</c>) works as documented.</summary>
public sealed partial class RunCommandTests
{
    [Fact]
    public async Task RunLocal_StartsUpstreamAndGateway_TypeScriptClientSeesDemoPolicy()
    {
        var gatewayPort = Loopback.FreePort();
        var upstreamPort = Loopback.FreePort();
        await using var run = new ManagedProcess(
            "bash",
            [Path.Combine(RepoPaths.Root, "infra", "run-local.sh")],
            new Dictionary<string, string?> { ["GATEWAY_PORT"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["UPSTREAM_PORT"] = upstreamPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // The banner is printed only once the gateway answers: the client starts from it with no other wait.
        var token = (await run.WaitForLineAsync(TokenLine(), TimeSpan.FromMinutes(4))).Groups[1].Value;
        var pageUrl = (await run.WaitForLineAsync(PageLine(), TimeSpan.FromMinutes(1))).Groups[1].Value;
        var adminCredential = (await run.WaitForLineAsync(AdminCredentialLine(), TimeSpan.FromMinutes(1))).Groups[1].Value;

        // The printed approver page serves, and the printed demo credential signs in to it (issue 22).
        using var http = new HttpClient();
        Assert.Equal($"http://127.0.0.1:{gatewayPort}/admin/ui", pageUrl);
        Assert.Contains("ui/approvals.js", await http.GetStringAsync(pageUrl), StringComparison.Ordinal);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, pageUrl + "/api/session")
        {
            Content = new StringContent("{\"credential\":\"" + adminCredential + "\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        signIn.Headers.Add("Origin", $"http://127.0.0.1:{gatewayPort}");
        using var signedIn = await http.SendAsync(signIn);
        Assert.Equal(System.Net.HttpStatusCode.OK, signedIn.StatusCode);

        var result = await TypeScriptClient.RunAsync(
            new Uri($"http://127.0.0.1:{gatewayPort}/mcp/everything"),
            token,
            TypeScriptClient.Calls(("echo", new { message = "from the readme" }), ("get-tiny-image", new { })));

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var tools = result.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Contains("echo", tools);
        Assert.DoesNotContain("get-env", tools);
        var calls = result.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal("Echo: from the readme", calls[0].GetProperty("text").GetString());
        Assert.True(calls[1].GetProperty("isError").GetBoolean());
        Assert.StartsWith("Policy denied: ", calls[1].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+Token:\s+(mcpgw_\S+)$")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^\s+Page:\s+(http://\S+)$")]
    private static partial Regex PageLine();

    [GeneratedRegex(@"^\s+Admin credential:\s+(mcpgw_admin_\S+)$")]
    private static partial Regex AdminCredentialLine();
}

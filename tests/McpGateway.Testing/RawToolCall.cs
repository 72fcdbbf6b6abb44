using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpGateway.Testing;

/// <summary>
/// One stateless (MCP 2026-07-28) tools/call over plain HTTP, for tests that poll the gateway while
/// its configuration changes underneath.
/// </summary>
internal static class RawToolCall
{
    private static readonly HttpClient Http = new();

    /// <summary>
    /// A stateless tools/call with its 2026-07-28 headers: <paramref name="members"/> are the params after the name
    /// (<c>"arguments":{...}</c> and whatever a test adds), <paramref name="capabilities"/> the client's declared ones.
    /// </summary>
    public static HttpRequestMessage Request(Uri url, string token, string tool, string members, string capabilities = "{}") =>
        Stateless(url, token, "tools/call", "\"name\":" + JsonSerializer.Serialize(tool) + "," + members, capabilities, tool);

    /// <summary>
    /// Any stateless 2026-07-28 request: <paramref name="members"/> are its params before <c>_meta</c>, which carries
    /// the revision, a client name and <paramref name="capabilities"/>; the headers name the method and, for the methods
    /// that have one, <paramref name="name"/>.
    /// </summary>
    public static HttpRequestMessage Stateless(Uri url, string token, string method, string members, string capabilities = "{}", string? name = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":""" + JsonSerializer.Serialize(method) + ""","params":{""" + (members.Length == 0 ? "" : members + ",") + "\"_meta\":" +
                """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":""" + capabilities + "}}}",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }

        return request;
    }

    public static async Task<(HttpStatusCode Status, bool IsError, string Body)> SendAsync(Uri url, string token, string tool, string arguments = "{}")
    {
        using var request = Request(url, token, tool, "\"arguments\":" + arguments);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var isError = true;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var document = JsonDocument.Parse(Message(body));
            isError = !document.RootElement.TryGetProperty("result", out var result) ||
                      (result.TryGetProperty("isError", out var flag) && flag.GetBoolean());
        }

        return (response.StatusCode, isError, body);
    }

    /// <summary>One call, read as the agent reads it: whether it is an error, and the text of its content (empty for a JSON-RPC error).</summary>
    public static async Task<(bool IsError, string Text)> CallAsync(Uri url, string token, string tool, string arguments)
    {
        var (status, isError, body) = await SendAsync(url, token, tool, arguments);
        if (status != HttpStatusCode.OK)
        {
            return (true, body);
        }

        using var document = JsonDocument.Parse(Message(body));
        var text = document.RootElement.TryGetProperty("result", out var result) && result.TryGetProperty("content", out var content)
            ? string.Concat(content.EnumerateArray().Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetString()))
            : document.RootElement.GetRawText();
        return (isError, text);
    }

    /// <summary>The answer a response body carries: the body itself when it is JSON, else the last message event of its SSE stream.</summary>
    private static string Message(string body) =>
        body.StartsWith('{') ? body : body.Split('\n').Last(l => l.StartsWith("data: {", StringComparison.Ordinal))[6..];

    /// <summary>Repeats the call until <paramref name="accept"/> holds, or fails the test at the deadline.</summary>
    public static async Task<(HttpStatusCode Status, bool IsError, string Body)> UntilAsync(
        Uri url, string token, string tool, Func<(HttpStatusCode Status, bool IsError, string Body), bool> accept, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await SendAsync(url, token, tool, """{"message":"poll"}""");
            if (accept(result))
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                // Thrown, not asserted: this project does not depend on a test framework; the test fails the same way.
                throw new TimeoutException($"condition not reached within {timeout}; last answer {result.Status}: {result.Body}");
            }

            await Task.Delay(100);
        }
    }
}

using McpGateway.Protocol;

namespace McpGateway.Tests.Protocol;

/// <summary>The name an <c>Mcp-Name</c> header must carry, and the one the upstream is sent.</summary>
public sealed class McpNameHeaderTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}""", "echo")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"greeting"}}""", "greeting")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a.txt"}}""", "file:///a.txt")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tasks/update","params":{"taskId":"t-1","inputResponses":{}}}""", "t-1")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tasks/cancel","params":{"taskId":7}}""", null)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", null)]
    public void Expected_EachMethod_NamesWhatTheBodyCarries(string body, string? expected) =>
        Assert.Equal(expected, McpNameHeader.Expected(Parse(body)));

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"taskId":"upstream-7"}}""", "upstream-7")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"taskId":"tâche 7"}}""", "=?base64?dMOiY2hlIDc=?=")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}""", "as-sent")]
    public void ForUpstream_TaskMethodsFromTheForwardedId_OthersAsSent(string forwarded, string expected) =>
        Assert.Equal(expected, McpNameHeader.ForUpstream("as-sent", Parse(forwarded)));

    /// <summary>A hidden entry's probe replaces the body's URI or name: the header then repeats the forwarded body.</summary>
    [Theory]
    [InlineData("file:///a.txt", """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a.txt"}}""", "file:///a.txt")]
    [InlineData("=?base64?ZmlsZTovLy9hLnR4dA==?=", """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a.txt"}}""", "=?base64?ZmlsZTovLy9hLnR4dA==?=")]
    [InlineData("file:///hidden.txt", """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///mcpgw-probe-1"}}""", "file:///mcpgw-probe-1")]
    [InlineData("hidden", """{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"mcpgw-probe-2"}}""", "mcpgw-probe-2")]
    public void ForUpstream_ResourceOrPromptTheGatewayReplaced_FromTheForwardedBody(string sent, string forwarded, string expected) =>
        Assert.Equal(expected, McpNameHeader.ForUpstream(sent, Parse(forwarded)));

    private static JsonRpcMessage Parse(string body)
    {
        Assert.Equal(GatewayError.None, JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(body), out var message, out _));
        return message!;
    }
}

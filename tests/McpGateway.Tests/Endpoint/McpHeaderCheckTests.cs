using McpGateway.Endpoint;
using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Endpoint;

/// <summary>
/// <c>Mcp-Method</c> and <c>Mcp-Name</c> against the body: required under 2026-07-28 where that revision and the tasks
/// extension require them, decoded from <c>=?base64?...?=</c> before the comparison, and refused on any disagreement.
/// </summary>
public sealed class McpHeaderCheckTests
{
    private const string Stateless = "2026-07-28";
    private const string Sessions = "2025-11-25";
    private const string ReadA = """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a.txt"}}""";
    private const string ReadAccented = """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///é.txt"}}""";
    private const string GetTask = """{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"taskId":"t-1"}}""";

    /// <summary>(revision, body, Mcp-Name or null to omit it, expected error, what the detail says or null).</summary>
    public static TheoryData<string, string, string?, string, string?> Cases => new()
    {
        { Stateless, ReadA, null, nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name is required for resources/read" },
        { Stateless, ReadA, "file:///a.txt", nameof(GatewayError.None), null },
        { Stateless, ReadAccented, "=?base64?ZmlsZTovLy/DqS50eHQ=?=", nameof(GatewayError.None), null },
        { Stateless, ReadAccented, "=?base64?ZmlsZTovLy9vdGhlci50eHQ=?=", nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name does not match" },
        { Stateless, ReadAccented, "=?base64?not base64?=", nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name does not match" },
        { Sessions, ReadA, null, nameof(GatewayError.None), null },
        { Sessions, ReadAccented, "=?base64?ZmlsZTovLy9vdGhlci50eHQ=?=", nameof(GatewayError.HeaderMismatch), "Mcp-Name does not match" },
        { Stateless, """{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"greeting"}}""", "=?base64?Z3JlZXRpbmc=?=", nameof(GatewayError.None), null },
        { Stateless, GetTask, null, nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name is required for tasks/get" },
        { Stateless, GetTask, "t-1", nameof(GatewayError.None), null },
        { Stateless, GetTask, "t-2", nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name does not match" },
        { Sessions, GetTask, null, nameof(GatewayError.None), null },
        { Stateless, """{"jsonrpc":"2.0","id":1,"method":"tasks/result","params":{"taskId":"t-1"}}""", null, nameof(GatewayError.None), null },
        { Stateless, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", null, nameof(GatewayError.None), null },
        { Stateless, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", "tools", nameof(GatewayError.StatelessHeaderMismatch), "Mcp-Name does not match" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_NameHeaderAgainstTheBody_RequiredDecodedAndCompared(string revision, string body, string? name, string expected, string? detail)
    {
        var message = Parse(body);
        var request = new DefaultHttpContext().Request;
        request.Headers[McpHeaders.ProtocolVersion] = revision;
        request.Headers[McpHeaders.Method] = message.Method;
        if (name is not null)
        {
            request.Headers[McpHeaders.Name] = name;
        }

        var error = McpHeaderCheck.Validate(request, message, out var problem);

        Assert.Equal(Enum.Parse<GatewayError>(expected), error);
        if (detail is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(detail, problem, StringComparison.Ordinal);
        }
    }

    private static JsonRpcMessage Parse(string body)
    {
        Assert.Equal(GatewayError.None, JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(body), out var message, out _));
        return message!;
    }
}

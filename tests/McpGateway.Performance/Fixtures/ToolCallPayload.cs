using System.Text;
using System.Text.Json;

namespace McpGateway.Performance.Fixtures;

/// <summary>Whether the upstream answers a tools/call with <c>application/json</c> or <c>text/event-stream</c>.</summary>
internal enum ResponseMode
{
    Json,
    Sse,
}

/// <summary>The two argument sizes of issue 8.</summary>
internal enum PayloadSize
{
    Small,
    Medium,
}

/// <summary>
/// The body of one stateless (MCP 2026-07-28) <c>tools/call</c>, built once per size and sent as bytes, so the
/// client's cost per request is the same for every path. The arguments pass the policy's conditions; the
/// <c>_meta</c> members are those the 2026-07-28 revision requires of a request without a session.
/// </summary>
internal sealed class ToolCallPayload
{
    private ToolCallPayload(PayloadSize size, byte[] body, int argumentBytes, string arguments)
    {
        Size = size;
        Body = body;
        ArgumentBytes = argumentBytes;
        Arguments = arguments;
    }

    public PayloadSize Size { get; }

    /// <summary>The whole request body (UTF-8 JSON).</summary>
    public byte[] Body { get; }

    /// <summary>Size of the <c>arguments</c> object alone, as issue 8 sizes them (~200 B and ~16 KB).</summary>
    public int ArgumentBytes { get; }

    /// <summary>The arguments object as JSON text.</summary>
    public string Arguments { get; }

    public static ToolCallPayload Small { get; } = Create(PayloadSize.Small, 120);

    public static ToolCallPayload Medium { get; } = Create(PayloadSize.Medium, 16_320);

    public static ToolCallPayload For(PayloadSize size) => size == PayloadSize.Small ? Small : Medium;

    private static ToolCallPayload Create(PayloadSize size, int contentChars)
    {
        var arguments = NoteArguments.Json(contentChars);
        var body =
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(BenchConfig.CalledTool) +
            ""","arguments":""" + arguments +
            ""","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"mcpgw-perf","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}""";
        return new ToolCallPayload(size, Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetByteCount(arguments), arguments);
    }
}

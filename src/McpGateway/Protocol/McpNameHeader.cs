using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>
/// What an <c>Mcp-Name</c> header must repeat from the body (SEP-2243, and SEP-2663 for the tasks methods): the
/// tool or prompt name, the resource URI, or the task id. One place, because the endpoint checks the client's header
/// against it and the forwarder writes the upstream's from it.
/// </summary>
internal static class McpNameHeader
{
    /// <summary>The value <paramref name="message"/>'s <c>Mcp-Name</c> must carry, or null when its method has none.</summary>
    public static string? Expected(JsonRpcMessage message) => message.Method switch
    {
        McpMethods.ToolsCall => message.ToolName,
        McpMethods.PromptsGet => StringParam(message, "name"u8),
        McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe => StringParam(message, "uri"u8),
        _ when McpMethods.NamesATask(message.Method) => StringParam(message, "taskId"u8),
        _ => null,
    };

    /// <summary>
    /// Whether a 2026-07-28 request of <paramref name="method"/> must carry the header: the revision's table names
    /// tools/call, resources/read and prompts/get, and the tasks extension obliges the client for the three task
    /// methods it kept (tasks/result is not among them: that revision has no such method).
    /// </summary>
    public static bool IsRequired(string? method) => method is
        McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead or
        McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel;

    /// <summary>
    /// The header for the upstream: a task method's id is the upstream's own after the gateway unsealed it, so its
    /// header is written from the forwarded body; any other name was checked equal to the body and goes as it came.
    /// </summary>
    /// <remarks>
    /// A resource URI or prompt name the gateway replaced (a hidden entry's probe) is written from the body too.
    /// </remarks>
    public static string ForUpstream(string clientValue, JsonRpcMessage? forwarded)
    {
        if (forwarded is null)
        {
            return clientValue;
        }

        if (McpMethods.NamesATask(forwarded.Method) && StringParam(forwarded, "taskId"u8) is { } taskId)
        {
            return HeaderValueEncoding.Encode(taskId);
        }

        if (forwarded.Method is McpMethods.PromptsGet or McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe &&
            Expected(forwarded) is { } name &&
            !(HeaderValueEncoding.TryDecode(clientValue, out var sent) && sent == name))
        {
            return HeaderValueEncoding.Encode(name);
        }

        return clientValue;
    }

    private static string? StringParam(JsonRpcMessage message, ReadOnlySpan<byte> name) =>
        message.Params.ValueKind == JsonValueKind.Object &&
        message.Params.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

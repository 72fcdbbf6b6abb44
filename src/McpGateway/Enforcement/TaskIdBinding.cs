using System.Text.Json;
using McpGateway.Protocol;
using McpGateway.Sessions;

namespace McpGateway.Enforcement;

/// <summary>
/// Binds MCP tasks to the grant that created them without a store (issue 16), as sessions are bound: the client
/// sees the upstream's task id sealed with the grant and server (AES-GCM under <c>Gateway:SessionKey</c>, its own
/// HKDF labels), and <c>tasks/get</c>, <c>tasks/update</c>, <c>tasks/result</c> and <c>tasks/cancel</c> reach the upstream only with an
/// id that opens for the calling grant; any other id is refused as a task that does not exist.
/// </summary>
internal sealed class TaskIdBinding(SessionSealer sessions)
{
    public const string Prefix = "mgt1.";

    private readonly SessionSealer _sealer = sessions.Derive("task", Prefix);

    /// <summary>Whether <paramref name="message"/> names a task the client must own.</summary>
    public static bool Governs(JsonRpcMessage message) =>
        message.Kind == JsonRpcMessageKind.Request && McpMethods.NamesATask(message.Method);

    public string Seal(RequestScope scope, string upstreamTaskId) => _sealer.Seal(scope.Owner, upstreamTaskId);

    /// <summary>
    /// The request as the upstream must see it, with its own task id; null when <c>params.taskId</c> is missing, was
    /// not sealed by this gateway, or belongs to another grant or server.
    /// </summary>
    public JsonRpcMessage? Unwrap(RequestScope scope, JsonRpcMessage message)
    {
        if (message.Params.ValueKind != JsonValueKind.Object ||
            !message.Params.TryGetProperty("taskId"u8, out var taskId) || taskId.ValueKind != JsonValueKind.String ||
            !_sealer.TryUnseal(taskId.GetString()!, out var owner, out var upstreamId) ||
            owner != scope.Owner)
        {
            return null;
        }

        return ParamsRewriter.WithParam(message, "taskId"u8, upstreamId);
    }
}

using System.Buffers;
using System.Text.Json;
using McpGateway.Protocol;
using McpGateway.Sessions;

namespace McpGateway.Enforcement;

/// <summary>
/// Binds MCP tasks to the grant that created them without a store (issue 16), as sessions are bound: the client
/// sees the upstream's task id sealed with the grant and server (AES-GCM under <c>Gateway:SessionKey</c>, its own
/// HKDF labels), and <c>tasks/get</c>, <c>tasks/result</c> and <c>tasks/cancel</c> reach the upstream only with an
/// id that opens for the calling grant; any other id is refused as a task that does not exist.
/// </summary>
internal sealed class TaskIdBinding(SessionSealer sessions)
{
    public const string Prefix = "mgt1.";

    private readonly SessionSealer _sealer = sessions.Derive("task", Prefix);

    /// <summary>Whether <paramref name="message"/> names a task the client must own.</summary>
    public static bool Governs(JsonRpcMessage message) =>
        message.Kind == JsonRpcMessageKind.Request &&
        message.Method is McpMethods.TasksGet or McpMethods.TasksResult or McpMethods.TasksCancel;

    public string Seal(RequestScope scope, string upstreamTaskId) => _sealer.Seal(Owner(scope), upstreamTaskId);

    /// <summary>
    /// The request as the upstream must see it, with its own task id; null when <c>params.taskId</c> is missing, was
    /// not sealed by this gateway, or belongs to another grant or server.
    /// </summary>
    public JsonRpcMessage? Unwrap(RequestScope scope, JsonRpcMessage message)
    {
        if (message.Params.ValueKind != JsonValueKind.Object ||
            !message.Params.TryGetProperty("taskId"u8, out var taskId) || taskId.ValueKind != JsonValueKind.String ||
            !_sealer.TryUnseal(taskId.GetString()!, out var owner, out var upstreamId) ||
            owner != Owner(scope))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in message.Root.EnumerateObject())
            {
                if (!property.NameEquals("params"u8))
                {
                    property.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(property.Name);
                writer.WriteStartObject();
                foreach (var member in property.Value.EnumerateObject())
                {
                    if (member.NameEquals("taskId"u8))
                    {
                        writer.WriteString(member.Name, upstreamId);
                    }
                    else
                    {
                        member.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return JsonRpcParser.TryParse(buffer.WrittenMemory.ToArray(), out var unwrapped, out _) == GatewayError.None ? unwrapped : null;
    }

    /// <summary>Grant labels and server names are names ([A-Za-z0-9_.-]), so the slash cannot be forged into either.</summary>
    private static string Owner(RequestScope scope) => scope.Grant.Label + "/" + scope.Server.Name;
}

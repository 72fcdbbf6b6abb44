using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>
/// Replaces every task id an upstream sends (issue 16) with the one the client may use: the gateway's sealed
/// binding of the upstream's id to the grant, so a task is reachable only by the grant that created it. Ids sit in
/// a created task (<c>result.task.taskId</c>), a task's own result (<c>result.taskId</c>), a list
/// (<c>result.tasks[].taskId</c>), a status notification (<c>params.taskId</c>) and related-task metadata; every
/// member named <c>taskId</c> of such a message is replaced. With <c>hideLists</c> a <c>tasks/list</c> answer is
/// emptied: an upstream may list every client's tasks, and without a store the gateway cannot tell whose they are.
/// </summary>
internal sealed class TaskIdTransform(ITaskIdSealer sealer, bool hideLists) : IMessageTransform
{
    public bool Applies(JsonElement message, bool isAnswer)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (message.TryGetProperty("result"u8, out var result) && result.ValueKind == JsonValueKind.Object)
        {
            return result.TryGetProperty("taskId"u8, out _) ||
                (result.TryGetProperty("task"u8, out var task) && task.ValueKind == JsonValueKind.Object) ||
                (result.TryGetProperty("tasks"u8, out var tasks) && tasks.ValueKind == JsonValueKind.Array) ||
                (result.TryGetProperty("_meta"u8, out var meta) && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("io.modelcontextprotocol/related-task"u8, out _));
        }

        return message.TryGetProperty("params"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object &&
            (parameters.TryGetProperty("taskId"u8, out _) ||
             (parameters.TryGetProperty("_meta"u8, out var paramsMeta) && paramsMeta.ValueKind == JsonValueKind.Object && paramsMeta.TryGetProperty("io.modelcontextprotocol/related-task"u8, out _)));
    }

    public void Write(Utf8JsonWriter writer, JsonElement message) => Copy(writer, message, depth: 0);

    private void Copy(Utf8JsonWriter writer, JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (property.NameEquals("taskId"u8) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        writer.WriteString(property.Name, sealer.SealTaskId(property.Value.GetString()!));
                    }
                    else if (hideLists && depth == 1 && property.NameEquals("tasks"u8) && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        writer.WritePropertyName(property.Name);
                        writer.WriteStartArray();
                        writer.WriteEndArray();
                    }
                    else if (hideLists && depth == 1 && property.NameEquals("nextCursor"u8))
                    {
                        // Nothing to page through once the list is emptied.
                    }
                    else
                    {
                        writer.WritePropertyName(property.Name);
                        Copy(writer, property.Value, depth + 1);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Copy(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}

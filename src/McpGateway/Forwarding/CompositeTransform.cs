using System.Buffers;
using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>
/// Several transforms over one stream (a GET stream can carry any kind of list, and task ids): every transform that
/// applies rewrites the message in turn, so a message that carries a tools list, a resources list and a task id at
/// once has each of them filtered or sealed. A message only one applies to is written once, as before.
/// </summary>
internal sealed class CompositeTransform(params IMessageTransform[] transforms) : IMessageTransform
{
    public bool Applies(JsonElement message, bool isAnswer) => Array.Exists(transforms, t => t.Applies(message, isAnswer));

    public void Write(Utf8JsonWriter writer, JsonElement message)
    {
        JsonDocument? rewritten = null;
        try
        {
            var current = message;
            IMessageTransform? pending = null;
            foreach (var transform in transforms)
            {
                if (!AppliesToAny(transform, current))
                {
                    continue;
                }

                if (pending is not null)
                {
                    // The one before rewrites first; this one then judges what that one wrote.
                    var buffer = new ArrayBufferWriter<byte>();
                    using (var inner = new Utf8JsonWriter(buffer))
                    {
                        pending.Write(inner, current);
                    }

                    var next = JsonDocument.Parse(buffer.WrittenMemory);
                    rewritten?.Dispose();
                    rewritten = next;
                    current = next.RootElement;
                    pending = AppliesToAny(transform, current) ? transform : null;
                    continue;
                }

                pending = transform;
            }

            if (pending is null)
            {
                current.WriteTo(writer);
            }
            else
            {
                pending.Write(writer, current);
            }
        }
        finally
        {
            rewritten?.Dispose();
        }
    }

    private static bool AppliesToAny(IMessageTransform transform, JsonElement message) =>
        transform.Applies(message, isAnswer: true) || transform.Applies(message, isAnswer: false);
}

using System.Text.Json;

namespace McpGateway.Forwarding;

/// <summary>Several transforms over one stream (a GET stream can carry any kind of list): the first that applies rewrites a message.</summary>
internal sealed class CompositeTransform(params IMessageTransform[] transforms) : IMessageTransform
{
    public bool Applies(JsonElement message, bool isAnswer) => Array.Exists(transforms, t => t.Applies(message, isAnswer));

    public void Write(Utf8JsonWriter writer, JsonElement message)
    {
        foreach (var transform in transforms)
        {
            if (transform.Applies(message, isAnswer: true) || transform.Applies(message, isAnswer: false))
            {
                transform.Write(writer, message);
                return;
            }
        }

        message.WriteTo(writer);
    }
}

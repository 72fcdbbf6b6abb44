using System.Text.Json;
using McpGateway.Configuration;
using McpGateway.Protocol;

namespace McpGateway.Forwarding;

/// <summary>
/// One request the gateway forwards: where it goes, which session it belongs to upstream, and how the
/// messages coming back are to be judged and rewritten. Data only: a caller with work of its own on the
/// request (a tools/call's decision line) passes an <see cref="IForwardCompletion"/> beside it.
/// </summary>
internal sealed class UpstreamExchange
{
    public required ServerConfig Server { get; init; }
    public required GrantConfig Grant { get; init; }
    public required HttpMethod Method { get; init; }

    /// <summary>The parsed message to forward (POST only).</summary>
    public JsonRpcMessage? Message { get; init; }

    /// <summary>The upstream's own session id, unsealed from the client's.</summary>
    public string? UpstreamSessionId { get; init; }

    /// <summary>The <c>Mcp-Param-*</c> headers checked against the body, to forward (issue 21); none when null.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ParamHeaders { get; init; }

    /// <summary>Seals the requestState of an <c>input_required</c> answer to this request (issue 21), or none.</summary>
    public IAnswerSealer? InputRequired { get; init; }

    /// <summary>Whose call this is (<c>grant/server</c>), for what the gateway seals into answers.</summary>
    public string Owner => OwnerOf(Grant, Server);

    /// <summary>Grant labels and server names are names ([A-Za-z0-9_.-]), so the slash cannot be forged into either.</summary>
    public static string OwnerOf(GrantConfig grant, ServerConfig server) => grant.Label + "/" + server.Name;

    /// <summary>The rewrite applied to messages coming back (a list filtered for the grant), or none.</summary>
    public IMessageTransform? Transform { get; init; }

    /// <summary>
    /// Judges a message from the upstream against the request: a response to anything but the request, on the
    /// request's own answer, is <see cref="ReplyKind.Foreign"/>. Outside a request (a GET stream, a forwarded
    /// notification) every message is <see cref="ReplyKind.Other"/>.
    /// </summary>
    public ReplyKind Classify(JsonElement message)
    {
        if (Message is not { Kind: JsonRpcMessageKind.Request } request || message.ValueKind != JsonValueKind.Object)
        {
            return ReplyKind.Other;
        }

        var isError = message.TryGetProperty("error"u8, out _);
        if (!isError && !message.TryGetProperty("result"u8, out _))
        {
            // A request or notification from the server (it carries a method); anything else is not JSON-RPC.
            return message.TryGetProperty("method"u8, out _) ? ReplyKind.Other : ReplyKind.Foreign;
        }

        if (!message.TryGetProperty("id"u8, out var id))
        {
            return ReplyKind.Foreign;
        }

        if (id.ValueKind == JsonValueKind.Null)
        {
            return isError ? ReplyKind.Error : ReplyKind.Foreign;
        }

        var expected = request.Id;
        var same = id.ValueKind == expected.ValueKind && id.ValueKind switch
        {
            JsonValueKind.String => id.GetString() == expected.GetString(),
            JsonValueKind.Number => id.GetRawText() == expected.GetRawText(),
            _ => false,
        };
        return !same ? ReplyKind.Foreign : isError ? ReplyKind.Error : ReplyKind.Result;
    }
}

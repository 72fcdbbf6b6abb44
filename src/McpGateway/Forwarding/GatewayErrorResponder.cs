using System.Buffers;
using System.Text.Json;
using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Forwarding;

/// <summary>
/// The one place where a <see cref="GatewayError"/> becomes what the client sees: an HTTP status and a
/// JSON-RPC error body (with the request's id when it is known, else null).
/// </summary>
internal static class GatewayErrorResponder
{
    public static (int Status, int Code, string Message) Describe(GatewayError error) => error switch
    {
        GatewayError.MissingToken => (401, -32001, "authentication required: send Authorization: Bearer <grant token>"),
        GatewayError.UnknownToken => (401, -32001, "the grant token is not valid"),
        GatewayError.WrongServer => (403, -32001, "this grant does not give access to this server"),
        GatewayError.InvalidOrigin => (403, -32001, "the Origin of this request is not allowed"),
        GatewayError.UnknownServer => (404, -32001, "no such server"),
        GatewayError.UnknownSession => (404, -32001, "session not found: start a new session with initialize"),
        GatewayError.MethodNotAllowed => (405, -32600, "method not allowed: use POST, GET or DELETE"),
        GatewayError.GetStreamNotOffered => (405, -32600, "this gateway offers no GET stream: use POST"),
        GatewayError.NotAcceptable => (406, -32600, "the client must accept application/json and text/event-stream"),
        GatewayError.PayloadTooLarge => (413, -32600, "the request body is too large"),
        GatewayError.UnsupportedMediaType => (415, -32600, "the request body must be application/json"),
        GatewayError.ParseError => (400, -32700, "parse error"),
        GatewayError.BatchNotSupported => (400, -32600, "invalid request"),
        GatewayError.InvalidRequest => (400, -32600, "invalid request"),
        GatewayError.InvalidParams => (400, -32602, "invalid params"),
        GatewayError.InvalidRequestState => (400, -32602, "invalid params"),
        GatewayError.RequestStateUnchecked => (503, -32000, "the gateway could not record this requestState's use (its counter store is unavailable): retry later"),
        GatewayError.RemovedMethod => (404, -32601, "Method not found"),
        GatewayError.UngovernedMethod => (200, -32601, "Method not found"),

        // A hidden tool under default: allow, answered as MCP's tools section answers an unknown tool (an error,
        // HTTP 200 like any JSON-RPC answer), because an unknown tool there would reach the upstream (issue 16).
        GatewayError.UnknownTool => (200, -32602, "Unknown tool"),
        GatewayError.DeniedByPolicy => (200, -32001, "denied by policy"),

        // MCP's code for a resource the server does not have, and the invalid-params answer SDK servers give an unknown prompt.
        GatewayError.UnknownResource => (200, -32002, "Resource not found"),
        GatewayError.UnknownPrompt => (200, -32602, "Unknown prompt"),

        // MCP's answer to tasks/get of an id the receiver does not know.
        GatewayError.UnknownTask => (200, -32602, "Failed to retrieve task: Task not found"),
        GatewayError.MissingTasksExtension => (400, -32021, "this method needs the tasks extension: declare " + RequestCapabilities.TasksExtension + " in the request's client capabilities"),
        GatewayError.HeaderMismatch => (400, -32600, "MCP headers do not match the message"),
        GatewayError.StatelessHeaderMismatch => (400, -32020, "MCP headers do not match the message"),
        GatewayError.NotConfigured => (503, -32000, "the gateway has no valid configuration loaded, so every request is refused"),
        GatewayError.UpstreamUnavailable => (502, -32000, "upstream server unavailable"),
        GatewayError.UpstreamTimeout => (504, -32000, "upstream server timed out"),
        GatewayError.UpstreamProtocolError => (502, -32000, "upstream server sent an invalid response"),
        GatewayError.UpstreamHttpError => (502, -32000, "upstream server failed without a JSON-RPC answer"),
        GatewayError.UpstreamForeignId => (502, -32000, "upstream server answered with another request's id"),

        // The next two reach the client as an SSE event or a JSON line after the stream's 200, so their status is never sent.
        GatewayError.UpstreamStreamBroken => (502, -32000, "upstream server's stream failed before it answered"),
        GatewayError.UpstreamIdle => (504, -32000, "upstream server's stream went silent"),
        _ => (500, -32603, "internal error"),
    };

    // The schema's MissingRequiredClientCapabilityError requires the capabilities a retry must declare.
    private static readonly byte[] RequiredTasksExtension =
        System.Text.Encoding.UTF8.GetBytes("{\"requiredCapabilities\":{\"extensions\":{\"" + RequestCapabilities.TasksExtension + "\":{}}}}");

    /// <summary>The <c>error.data</c> an error carries, beside its status, code and message; null for most.</summary>
    private static byte[]? DataOf(GatewayError error) => error switch
    {
        GatewayError.MissingTasksExtension => RequiredTasksExtension,
        _ => null,
    };

    public static async Task WriteAsync(HttpContext context, GatewayError error, string? detail = null, JsonElement id = default)
    {
        var (status, code, message) = Describe(error);
        var response = context.Response;
        response.StatusCode = status;
        if (error is GatewayError.MissingToken or GatewayError.UnknownToken)
        {
            response.Headers.WWWAuthenticate = error == GatewayError.MissingToken
                ? "Bearer realm=\"mcp-gateway\""
                : "Bearer realm=\"mcp-gateway\", error=\"invalid_token\"";
        }

        if (error is GatewayError.MethodNotAllowed or GatewayError.GetStreamNotOffered)
        {
            response.Headers.Allow = error == GatewayError.MethodNotAllowed ? "POST, GET, DELETE" : "POST, DELETE";
        }

        response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            WriteBody(writer, error, detail, id);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The same error as one SSE event, for a failure after the stream's 200 went out: the client's answer to
    /// its request is this error, rather than a stream that ends with nothing (issue 16).
    /// </summary>
    public static ValueTask<System.IO.Pipelines.FlushResult> WriteEventAsync(SseWriter sse, GatewayError error, string? detail, JsonElement id, CancellationToken cancellationToken) =>
        sse.WriteJsonEventAsync(
            "message",
            null,
            null,
            (error, detail, id),
            static (writer, state) => WriteBody(writer, state.error, state.detail, state.id),
            cancellationToken);

    /// <summary>The same error as the last line of a JSON stream of messages (MCP 2026-07-28), for the same reason.</summary>
    public static async ValueTask WriteLineAsync(System.IO.Pipelines.PipeWriter output, GatewayError error, string? detail, JsonElement id, CancellationToken cancellationToken)
    {
        var writer = new Utf8JsonWriter(output);
        await using (writer.ConfigureAwait(false))
        {
            WriteBody(writer, error, detail, id);
        }

        output.Write("\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteBody(Utf8JsonWriter writer, GatewayError error, string? detail, JsonElement id)
    {
        var (_, code, message) = Describe(error);
        JsonRpcWriter.WriteStart(writer, id);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, detail is null ? message : message + ": " + detail);
        if (DataOf(error) is { } data)
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

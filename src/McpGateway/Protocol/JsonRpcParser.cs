using System.Text.Json;
using System.Text.Unicode;

namespace McpGateway.Protocol;

/// <summary>
/// Strict reading of one JSON-RPC message from a POST body. MCP (2025-06-18 onwards) carries exactly one
/// message per POST, so a batch is refused rather than unpacked, and nothing in a batch can reach the
/// upstream unjudged. Duplicate keys, and members that differ from a known one only in case
/// (<c>"Method"</c>, <c>"NAME"</c>), are refused: two parsers could disagree about which one counts.
/// Text that is not Unicode (invalid UTF-8, an escaped unpaired surrogate) is refused for the same
/// reason: the gateway cannot read it as text, and the upstream would read it as something else.
/// </summary>
internal static class JsonRpcParser
{
    public const int MaxDepth = 64;

    private static readonly string[] EnvelopeMembers = ["jsonrpc", "id", "method", "params", "result", "error"];
    private static readonly string[] ToolCallMembers = ["name", "arguments", "_meta"];

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    public static GatewayError TryParse(ReadOnlyMemory<byte> body, out JsonRpcMessage? message, out string detail)
    {
        message = null;

        // RFC 8259 section 8.1: JSON text exchanged between systems MUST be UTF-8. The JSON reader does
        // not check string contents, so without this an invalid byte reaches the upstream (which reads
        // U+FFFD) and makes the gateway's own reads of that string throw after the call was forwarded.
        if (!Utf8.IsValid(body.Span))
        {
            detail = "the body is not valid UTF-8";
            return GatewayError.ParseError;
        }

        // Before the document: its duplicate-key check unescapes member names and would throw on these.
        if (HasUnpairedSurrogateEscape(body.Span))
        {
            detail = "a string or member name escapes an unpaired UTF-16 surrogate, which is not Unicode text";
            return GatewayError.ParseError;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            // Duplicate keys surface here too; the reader's message says which.
            detail = "the body is not valid JSON (or repeats a key): " + ex.Message;
            return GatewayError.ParseError;
        }

        var error = Validate(document.RootElement, out var kind, out var method, out var id, out var parameters, out detail);
        if (error != GatewayError.None)
        {
            document.Dispose();
            return error;
        }

        message = new JsonRpcMessage(document, kind, method, id, parameters);
        return GatewayError.None;
    }

    private static GatewayError Validate(
        JsonElement root,
        out JsonRpcMessageKind kind,
        out string? method,
        out JsonElement id,
        out JsonElement parameters,
        out string detail)
    {
        kind = default;
        method = null;
        id = default;
        parameters = default;

        if (root.ValueKind == JsonValueKind.Array)
        {
            detail = "JSON-RPC batches are not supported: send one message per request (MCP 2025-06-18 removed batching)";
            return GatewayError.BatchNotSupported;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            detail = "the body must be a JSON-RPC message object";
            return GatewayError.InvalidRequest;
        }

        if (CheckMembers(root, EnvelopeMembers, "message") is { } memberProblem)
        {
            detail = memberProblem;
            return GatewayError.InvalidRequest;
        }

        if (!root.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            detail = "\"jsonrpc\" must be \"2.0\"";
            return GatewayError.InvalidRequest;
        }

        var hasId = root.TryGetProperty("id"u8, out id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            detail = "\"id\" must be a string or a number";
            return GatewayError.InvalidRequest;
        }

        if (hasId && id.ValueKind == JsonValueKind.Number && !id.TryGetInt64(out _))
        {
            detail = "a numeric \"id\" must be an integer";
            return GatewayError.InvalidRequest;
        }

        if (root.TryGetProperty("method"u8, out var methodElement))
        {
            if (methodElement.ValueKind != JsonValueKind.String || methodElement.GetString() is not { Length: > 0 } name)
            {
                detail = "\"method\" must be a non-empty string";
                return GatewayError.InvalidRequest;
            }

            if (root.TryGetProperty("result"u8, out _) || root.TryGetProperty("error"u8, out _))
            {
                detail = "a request cannot carry \"result\" or \"error\"";
                return GatewayError.InvalidRequest;
            }

            method = name;
            kind = hasId ? JsonRpcMessageKind.Request : JsonRpcMessageKind.Notification;
            if (root.TryGetProperty("params"u8, out parameters) && parameters.ValueKind != JsonValueKind.Object)
            {
                detail = "\"params\" must be an object";
                return GatewayError.InvalidRequest;
            }

            if (!hasId && !name.StartsWith(McpMethods.NotificationPrefix, StringComparison.Ordinal))
            {
                // MCP sends only notifications/* without an id. A request sent as a notification gets no answer,
                // so it could never carry a denial; forwarded, a tools/call, resources/read, prompts/get or tasks/cancel
                // would reach the upstream unjudged, and a lenient server would act on it anyway.
                detail = name == McpMethods.ToolsCall
                    ? "tools/call is a request and needs an id; it cannot be sent as a notification"
                    : "a request needs an id; only notifications/* methods are sent without one";
                return GatewayError.InvalidRequest;
            }

            if (name == McpMethods.ToolsCall)
            {
                return ValidateToolCall(parameters, out detail);
            }

            detail = "";
            return GatewayError.None;
        }

        var hasResult = root.TryGetProperty("result"u8, out _);
        var hasError = root.TryGetProperty("error"u8, out _);
        if (!hasId || hasResult == hasError || root.TryGetProperty("params"u8, out _))
        {
            detail = "the message is neither a request (method) nor a response (id with exactly one of result or error)";
            return GatewayError.InvalidRequest;
        }

        kind = JsonRpcMessageKind.Response;
        detail = "";
        return GatewayError.None;
    }

    private static GatewayError ValidateToolCall(JsonElement parameters, out string detail)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            detail = "tools/call needs params with a tool name";
            return GatewayError.InvalidParams;
        }

        if (CheckMembers(parameters, ToolCallMembers, "params", allowUnknown: true) is { } memberProblem)
        {
            detail = memberProblem;
            return GatewayError.InvalidParams;
        }

        if (!parameters.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
        {
            detail = "tools/call params.name must be a string";
            return GatewayError.InvalidParams;
        }

        if (parameters.TryGetProperty("arguments"u8, out var arguments) && arguments.ValueKind != JsonValueKind.Object)
        {
            detail = "tools/call params.arguments must be an object";
            return GatewayError.InvalidParams;
        }

        detail = "";
        return GatewayError.None;
    }

    /// <summary>
    /// True when an escaped string or member name does not decode to Unicode (<c>"\ud800"</c> alone): such
    /// a string cannot be read or re-serialised, so judging or forwarding it would fail halfway. Only
    /// <c>\u</c> escapes can spell a surrogate in UTF-8 that passed validation, so bodies without one skip the scan.
    /// </summary>
    private static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> body)
    {
        if (body.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is (JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (JsonException)
        {
            // Not JSON at all: parsing the document reports that, with its position.
            return false;
        }

        return false;
    }

    /// <summary>Refuses members that differ from a known one only in case, and (unless allowed) unknown members.</summary>
    private static string? CheckMembers(JsonElement element, string[] known, string where, bool allowUnknown = false)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) >= 0)
            {
                continue;
            }

            foreach (var name in known)
            {
                if (string.Equals(name, property.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{where} member \"{property.Name}\" differs from \"{name}\" only in case";
                }
            }

            if (!allowUnknown)
            {
                return $"unknown {where} member \"{property.Name}\"";
            }
        }

        return null;
    }
}

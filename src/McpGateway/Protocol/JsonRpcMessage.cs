using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>
/// One JSON-RPC message as the gateway parsed it. The policy judges this object, and the gateway
/// forwards <see cref="WriteTo"/>'s re-serialisation of it, never the client's bytes, so the upstream
/// cannot read a different message than the one that was judged (issue 3).
/// </summary>
internal sealed class JsonRpcMessage : IDisposable
{
    private readonly JsonDocument _document;
    private string? _toolName;
    private bool _toolNameRead;
    private string? _argumentsSha256;

    public JsonRpcMessage(JsonDocument document, JsonRpcMessageKind kind, string? method, JsonElement id, JsonElement parameters)
    {
        _document = document;
        Kind = kind;
        Method = method;
        Id = id;
        Params = parameters;
    }

    public JsonRpcMessageKind Kind { get; }

    /// <summary>The method of a request or notification.</summary>
    public string? Method { get; }

    /// <summary>The id (a string or a number); <see cref="JsonValueKind.Undefined"/> for notifications.</summary>
    public JsonElement Id { get; }

    /// <summary>The params object, or <see cref="JsonValueKind.Undefined"/>.</summary>
    public JsonElement Params { get; }

    public JsonElement Root => _document.RootElement;

    /// <summary>For <c>tools/call</c>: the tool name (validated to be a string by the parser), decoded once.</summary>
    public string? ToolName
    {
        get
        {
            if (!_toolNameRead)
            {
                _toolName = Params.ValueKind == JsonValueKind.Object && Params.TryGetProperty("name"u8, out var name) ? name.GetString() : null;
                _toolNameRead = true;
            }

            return _toolName;
        }
    }

    /// <summary>For <c>tools/call</c>: the arguments object, or <see cref="JsonValueKind.Undefined"/>.</summary>
    public JsonElement Arguments => Params.ValueKind == JsonValueKind.Object && Params.TryGetProperty("arguments"u8, out var arguments) ? arguments : default;

    /// <summary>
    /// SHA-256 of the canonical arguments (<see cref="CanonicalJson"/>), for the decision log and approvals;
    /// computed once, on first use (for 16 KB of arguments it is about 14 microseconds).
    /// </summary>
    public string ArgumentsSha256 => _argumentsSha256 ??= CanonicalJson.Sha256Hex(Arguments);

    /// <summary>Id as text for logs and counters ("7", "\"abc\""), or null.</summary>
    public string? IdText => Id.ValueKind == JsonValueKind.Undefined ? null : Id.GetRawText();

    public void WriteTo(Utf8JsonWriter writer) => _document.RootElement.WriteTo(writer);

    public void Dispose() => _document.Dispose();
}

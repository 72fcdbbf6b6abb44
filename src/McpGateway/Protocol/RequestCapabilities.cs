using System.Text.Json;

namespace McpGateway.Protocol;

/// <summary>
/// What a 2026-07-28 request declares about its client. That revision has no initialize: a client states its
/// capabilities on every request, in <c>params._meta["io.modelcontextprotocol/clientCapabilities"]</c> (SEP-2575), and
/// a server decides by the request in hand.
/// </summary>
internal static class RequestCapabilities
{
    /// <summary>The tasks extension (SEP-2663): tasks left the core protocol in 2026-07-28.</summary>
    public const string TasksExtension = "io.modelcontextprotocol/tasks";

    /// <summary>Whether the request's capabilities list <paramref name="extension"/> under <c>extensions</c>, as an object.</summary>
    public static bool DeclaresExtension(JsonElement parameters, string extension) =>
        parameters.ValueKind == JsonValueKind.Object &&
        parameters.TryGetProperty("_meta"u8, out var meta) && meta.ValueKind == JsonValueKind.Object &&
        meta.TryGetProperty("io.modelcontextprotocol/clientCapabilities"u8, out var capabilities) && capabilities.ValueKind == JsonValueKind.Object &&
        capabilities.TryGetProperty("extensions"u8, out var extensions) && extensions.ValueKind == JsonValueKind.Object &&
        extensions.TryGetProperty(extension, out var declared) && declared.ValueKind == JsonValueKind.Object;
}

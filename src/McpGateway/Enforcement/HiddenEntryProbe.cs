using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Protocol;

namespace McpGateway.Enforcement;

/// <summary>
/// How a hidden resource or prompt is answered where an unknown one would reach the server (issue 16). Servers word
/// "no such resource" in their own ways (server-everything: -32602 "Resource X not found"), so no answer of the
/// gateway's could pass for theirs: instead the server is asked for an entry it cannot have, a random name in the
/// hidden one's place, and its answer comes back with the hidden name restored. The hidden entry itself is never
/// read, and the agent reads what it would read for any name the server does not have.
/// </summary>
internal static class HiddenEntryProbe
{
    private const string Marker = "mcpgw-probe-";

    /// <summary>
    /// <paramref name="message"/> with <paramref name="key"/>, its resource URI or prompt name, replaced by a random one
    /// in the same place: for a URI, the last path segment, so that the server answers as it does under that path.
    /// </summary>
    public static JsonRpcMessage Create(JsonRpcMessage message, string key, bool isResource, out string probe)
    {
        var random = Marker + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        probe = isResource ? UriIn(key, random) : random;

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var replacement = probe;
            JsonStringRewriter.Write(writer, message.Root, text => text == key ? replacement : text);
        }

        var document = JsonDocument.Parse(buffer.WrittenMemory);
        var root = document.RootElement;
        return new JsonRpcMessage(
            document,
            message.Kind,
            message.Method,
            root.TryGetProperty("id"u8, out var id) ? id : default,
            root.TryGetProperty("params"u8, out var parameters) ? parameters : default);
    }

    /// <summary>The hidden URI's scheme, authority and path up to its last segment, then the random name.</summary>
    private static string UriIn(string uri, string random)
    {
        var path = uri.AsSpan(0, uri.IndexOf('?') is >= 0 and var query ? query : uri.Length);
        var start = path.IndexOf("://", StringComparison.Ordinal) is >= 0 and var scheme ? scheme + 3 : 0;
        var cut = path[start..].LastIndexOfAny('/', ':');
        return cut < 0 ? uri + "/" + random : string.Concat(path[..(start + cut + 1)], random);
    }
}

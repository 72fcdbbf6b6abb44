using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace McpGateway.Protocol;

/// <summary>
/// How a standard header carries a value that cannot travel as plain ASCII (2026-07-28, streamable HTTP, "Value
/// Encoding"): as <c>=?base64?...?=</c> of its UTF-8, markers in lower case, and a receiver decodes it before
/// comparing it with the body. One place for the <c>Mcp-Name</c> check, the <c>Mcp-Param-*</c> check and the
/// headers the gateway writes itself.
/// </summary>
internal static class HeaderValueEncoding
{
    private const string Prefix = "=?base64?";
    private const string Suffix = "?=";

    private static readonly System.Buffers.SearchValues<char> Base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <paramref name="value"/> as a header carries it: verbatim when it is visible ASCII and does not itself look
    /// encoded, else encoded.
    /// </summary>
    public static string Encode(string value) =>
        value.Length > 0 && !value.AsSpan().ContainsAnyExceptInRange('!', '~') && !IsEncoded(value)
            ? value
            : Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + Suffix;

    /// <summary>
    /// The value <paramref name="header"/> carries: decoded when it is encoded, else as sent. False when it is
    /// encoded but its payload is not Base64 of UTF-8, which no sender could have meant.
    /// </summary>
    public static bool TryDecode(string header, [NotNullWhen(true)] out string? value)
    {
        if (!IsEncoded(header))
        {
            value = header;
            return true;
        }

        // Convert skips whitespace inside Base64; a header's payload has none, so one with any is not Base64.
        var payload = header[Prefix.Length..^Suffix.Length];
        if (payload.AsSpan().IndexOfAnyExcept(Base64Alphabet) >= 0)
        {
            value = null;
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(Convert.FromBase64String(payload));
            return true;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            value = null;
            return false;
        }
    }

    private static bool IsEncoded(string value) =>
        value.Length >= Prefix.Length + Suffix.Length &&
        value.StartsWith(Prefix, StringComparison.Ordinal) &&
        value.EndsWith(Suffix, StringComparison.Ordinal);
}

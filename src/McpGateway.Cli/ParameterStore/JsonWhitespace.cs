namespace McpGateway.Cli.ParameterStore;

/// <summary>
/// Removes the whitespace between JSON tokens, so an indented policy does not pay for its indentation in
/// Parameter Store's 4 KB and 8 KB value limits.
/// </summary>
/// <remarks>
/// Whitespace is dropped byte by byte rather than by re-serialising: every token, string escapes and
/// number spellings included, stays exactly as the author wrote and the validator read it.
/// </remarks>
internal static class JsonWhitespace
{
    /// <summary>
    /// <paramref name="json"/> without insignificant whitespace (RFC 8259 section 2: space, tab, line feed,
    /// carriage return outside strings) and without a UTF-8 byte order mark. The input must be valid JSON.
    /// </summary>
    public static byte[] Remove(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        var compact = new byte[json.Length];
        var length = 0;
        var inString = false;
        var escaped = false;
        foreach (var b in json)
        {
            if (inString)
            {
                compact[length++] = b;
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                compact[length++] = b;
                inString = b == (byte)'"';
            }
        }

        return compact[..length];
    }
}

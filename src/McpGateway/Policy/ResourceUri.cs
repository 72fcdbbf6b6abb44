namespace McpGateway.Policy;

/// <summary>
/// Whether a resource URI is in the one form a <c>resources</c> key can judge. Keys match by ordinal prefix, so a
/// URI that a server may resolve to another one could pass an allowed prefix, or slip past a denied one, and read
/// what the policy meant to keep out. RFC 3986 (section 6.2.2) resolves: upper case in the scheme or host, a
/// percent-encoded unreserved character (<c>%73</c> is <c>s</c>) or lower-case escape hex, a dot segment, and a
/// default port; a file server also takes an encoded <c>/</c> or <c>\</c>, a backslash, and <c>file://localhost/</c>
/// for <c>file:///</c>. A fragment never reaches a server's lookup at all. Only the path is judged for segments and
/// escapes: a query may carry such text as data (<see cref="CompiledEntries"/> lets a deny or hide key cover the URI
/// with any query appended).
/// </summary>
internal static class ResourceUri
{
    public const string Rule = "resource_uri";

    public const string Reason =
        "the resource URI is not in normal form (a . or .. segment, a fragment, an escape a server would decode, a backslash, a default port, or upper case in its scheme or host): send it as the server lists it";

    public static bool IsInNormalForm(string uri)
    {
        if (uri.Contains('#'))
        {
            return false;
        }

        var rest = uri.AsSpan();
        var scheme = ReadOnlySpan<char>.Empty;
        var colon = rest.IndexOf(':');
        if (colon > 0)
        {
            scheme = rest[..colon];
            if (scheme.ContainsAnyInRange('A', 'Z'))
            {
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var authorityEnd = rest.IndexOfAny('/', '?');
            var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
            if (!IsNormalAuthority(scheme, authority[(authority.LastIndexOf('@') + 1)..]))
            {
                return false;
            }

            rest = authorityEnd < 0 ? [] : rest[authorityEnd..];
        }

        var pathEnd = rest.IndexOf('?');
        var path = pathEnd < 0 ? rest : rest[..pathEnd];
        if (path.Contains('\\') || !HasOnlyNeededEscapes(path))
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            var text = path[segment];
            if (text is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNormalAuthority(ReadOnlySpan<char> scheme, ReadOnlySpan<char> hostAndPort)
    {
        if (hostAndPort.ContainsAnyInRange('A', 'Z') || hostAndPort.Contains('%'))
        {
            return false;
        }

        // Not an IPv6 literal's colons: the port follows the closing bracket, or the only colon.
        var portStart = hostAndPort.LastIndexOf(':');
        var host = portStart > hostAndPort.LastIndexOf(']') && portStart >= 0 ? hostAndPort[..portStart] : hostAndPort;
        var port = host.Length < hostAndPort.Length ? hostAndPort[(host.Length + 1)..] : ReadOnlySpan<char>.Empty;
        if (host.Length < hostAndPort.Length && (port.IsEmpty || (scheme is "http" or "ws" && port is "80") || (scheme is "https" or "wss" && port is "443")))
        {
            return false;
        }

        return !(scheme is "file" && host is "localhost");
    }

    /// <summary>
    /// True when every escape in <paramref name="path"/> is one a server cannot read as another character a key
    /// could name: upper-case hex, and not an unreserved character, <c>/</c> or <c>\</c>.
    /// </summary>
    private static bool HasOnlyNeededEscapes(ReadOnlySpan<char> path)
    {
        for (var i = path.IndexOf('%'); i >= 0; i = path.IndexOf('%'))
        {
            if (path.Length < i + 3 || !char.IsAsciiHexDigitUpper(path[i + 1]) || !char.IsAsciiHexDigitUpper(path[i + 2]))
            {
                return false;
            }

            var decoded = (char)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
            if (char.IsAsciiLetterOrDigit(decoded) || decoded is '-' or '.' or '_' or '~' or '/' or '\\')
            {
                return false;
            }

            path = path[(i + 3)..];
        }

        return true;
    }

    private static int HexValue(char digit) => digit <= '9' ? digit - '0' : digit - 'A' + 10;
}

namespace McpGateway.Policy;

/// <summary>
/// Whether a resource URI is in the one form a <c>resources</c> key can judge. Keys match by ordinal prefix, so a
/// URI that a server may resolve to another one (RFC 3986: a dot segment, a percent-encoded <c>.</c>, <c>/</c> or
/// <c>\</c>, a backslash, or upper case in the scheme or host, which compare without case) could pass an allowed
/// prefix, or slip past a denied one, and read what the policy meant to keep out. Only the path is judged for
/// segments and escapes: a query may carry such text as data.
/// </summary>
internal static class ResourceUri
{
    public const string Rule = "resource_uri";

    public const string Reason =
        "the resource URI is not in normal form (a . or .. segment, an encoded . / or \\, a backslash, or upper case in its scheme or host): send it as the server lists it";

    public static bool IsInNormalForm(string uri)
    {
        var rest = uri.AsSpan();
        var colon = rest.IndexOf(':');
        if (colon > 0)
        {
            if (rest[..colon].ContainsAnyInRange('A', 'Z'))
            {
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var authorityEnd = rest.IndexOfAny('/', '?', '#');
            var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
            var host = authority[(authority.LastIndexOf('@') + 1)..];
            if (host.ContainsAnyInRange('A', 'Z') || host.Contains('%'))
            {
                return false;
            }

            rest = authorityEnd < 0 ? [] : rest[authorityEnd..];
        }

        var pathEnd = rest.IndexOfAny('?', '#');
        var path = pathEnd < 0 ? rest : rest[..pathEnd];
        if (path.Contains('\\') ||
            path.Contains("%2e", StringComparison.OrdinalIgnoreCase) ||
            path.Contains("%2f", StringComparison.OrdinalIgnoreCase) ||
            path.Contains("%5c", StringComparison.OrdinalIgnoreCase))
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
}

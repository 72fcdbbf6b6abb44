using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using McpGateway.Policy;

namespace McpGateway.Configuration;

/// <summary>
/// Validates one configuration entry at a time. The file source and the Parameter Store source both
/// feed entries through here, so an entry means the same wherever it is stored, and one bad entry can
/// be rejected alone.
/// </summary>
internal static class ConfigEntryParser
{
    /// <summary>Headers an operator may not configure: they are the gateway's or the transport's to set.</summary>
    private static readonly FrozenSet<string> ReservedHeaders = new[]
    {
        "host", "content-length", "content-type", "transfer-encoding", "connection", "keep-alive", "upgrade",
        "te", "trailer", "proxy-connection", "proxy-authorization", "mcp-session-id", "mcp-protocol-version",
        "mcp-method", "mcp-name", "accept", "last-event-id",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names of servers, policies and grants: they appear in URLs, counter keys and parameter names.</summary>
    public static bool IsValidName(string? name) => name is not null && Policy.ToolName.IsValid(name);

    public static ServerConfig ParseServer(string name, ReadOnlySpan<byte> json)
    {
        RequireName(name, "server");
        var dto = Deserialize(json, ConfigJsonContext.Default.ServerEntryDto, $"server \"{name}\"");
        if (!Uri.TryCreate(dto.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConfigException($"server \"{name}\": url must be an absolute http or https URL");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new ConfigException($"server \"{name}\": put credentials in headers, not in the url");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in dto.Headers ?? [])
        {
            // Mcp-Param-* carry a call's own arguments (SEP-2243), checked per call: a configured one would stand beside
            // the client's as a second value, merging with it and breaking a SigV4 signature over the header.
            if (ReservedHeaders.Contains(key) || key.StartsWith("mcp-param-", StringComparison.OrdinalIgnoreCase) ||
                !IsToken(key) || value.AsSpan().ContainsAny('\r', '\n', '\0'))
            {
                throw new ConfigException($"server \"{name}\": header \"{key}\" cannot be configured");
            }

            headers[key] = value;
        }

        var timeout = dto.TimeoutSeconds is { } seconds
            ? (seconds is > 0 and <= 900 ? TimeSpan.FromSeconds(seconds) : throw new ConfigException($"server \"{name}\": timeout_seconds must be between 0 and 900"))
            : TimeSpan.FromSeconds(60);

        // Up to API Gateway's 15-minute ceiling for a streamed response: a longer silence can never be useful.
        var idle = dto.IdleTimeoutSeconds is { } idleSeconds
            ? (idleSeconds is > 0 and <= 900 ? TimeSpan.FromSeconds(idleSeconds) : throw new ConfigException($"server \"{name}\": idle_timeout_seconds must be between 0 and 900"))
            : TimeSpan.FromSeconds(300);
        var auth = dto.Auth is { } signing ? UpstreamAuthParser.Parse(name, url, signing, headers.Keys) : null;
        return new ServerConfig(name, url, headers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), timeout, auth)
        {
            IdleTimeout = idle,
            ToolPins = dto.ToolPins is { } pins ? ParseToolPins(name, pins) : null,
        };
    }

    /// <summary>Tool names as tools are named in policies, each with the hash <c>mcpgw tools pin</c> writes (issue 15).</summary>
    private static FrozenDictionary<string, string> ParseToolPins(string server, Dictionary<string, string> pins)
    {
        foreach (var (tool, pin) in pins)
        {
            if (!Policy.ToolName.IsValid(tool))
            {
                throw new ConfigException($"server \"{server}\": tool_pins names an invalid tool \"{(tool.Length > 64 ? tool[..64] + "..." : tool)}\": {Policy.ToolName.Rule}");
            }

            if (!Tools.ToolFingerprint.IsWellFormed(pin))
            {
                throw new ConfigException($"server \"{server}\": tool_pins.{tool} must be \"sha256:\" and 64 lowercase hex digits, as mcpgw tools pin writes it");
            }
        }

        return pins.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static GrantConfig ParseGrant(string label, ReadOnlySpan<byte> json)
    {
        RequireName(label, "grant");
        var dto = Deserialize(json, ConfigJsonContext.Default.GrantEntryDto, $"grant \"{label}\"");
        if (dto.TokenSha256 is not { Length: 64 } hex || !IsHex(hex))
        {
            throw new ConfigException($"grant \"{label}\": token_sha256 must be 64 hexadecimal characters (the SHA-256 of the token)");
        }

        if (!IsValidName(dto.Server))
        {
            throw new ConfigException($"grant \"{label}\": server must name a server");
        }

        if (!IsValidName(dto.Policy))
        {
            throw new ConfigException($"grant \"{label}\": policy must name a policy");
        }

        return new GrantConfig(label, [.. Convert.FromHexString(hex)], dto.Server!, dto.Policy!);
    }

    public static AdminConfig ParseAdmin(string name, ReadOnlySpan<byte> json)
    {
        RequireName(name, "admin");
        var dto = Deserialize(json, ConfigJsonContext.Default.AdminEntryDto, $"admin \"{name}\"");
        if (dto.TokenSha256 is not { Length: 64 } hex || !IsHex(hex))
        {
            throw new ConfigException($"admin \"{name}\": token_sha256 must be 64 hexadecimal characters (the SHA-256 of the credential)");
        }

        return new AdminConfig(name, [.. Convert.FromHexString(hex)]);
    }

    /// <summary>Never throws for an invalid document: an invalid policy is kept so grants using it fail closed.</summary>
    public static PolicyEntry ParsePolicy(string name, ReadOnlySpan<byte> json, string? version = null)
    {
        RequireName(name, "policy");
        var result = PolicyParser.Parse(json);
        return result.IsValid
            ? new PolicyEntry(name, CompiledPolicy.Compile(result.Document), [], version)
            : new PolicyEntry(name, null, result.Problems, version);
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new ConfigException($"{what}: the entry is null");
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{what}: {ex.Message}");
        }
    }

    private static void RequireName(string name, string kind)
    {
        if (!IsValidName(name))
        {
            throw new ConfigException($"{kind} name \"{name}\" is invalid: {McpGateway.Policy.ToolName.Rule}");
        }
    }

    private static readonly System.Buffers.SearchValues<char> HexChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    // RFC 9110 token characters: what a header name may be made of.
    private static readonly System.Buffers.SearchValues<char> TokenChars =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static bool IsHex(string text) => text.AsSpan().IndexOfAnyExcept(HexChars) < 0;

    private static bool IsToken(string name) => name.Length > 0 && name.AsSpan().IndexOfAnyExcept(TokenChars) < 0;
}

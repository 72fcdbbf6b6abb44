using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography;

namespace McpGateway.Configuration;

/// <summary>
/// Everything the gateway needs to answer a request, immutable once built: servers, compiled policies
/// and grants. A new snapshot replaces the old one atomically when configuration changes.
/// </summary>
internal sealed class GatewaySnapshot
{
    public GatewaySnapshot(
        IEnumerable<ServerConfig> servers,
        IEnumerable<PolicyEntry> policies,
        IEnumerable<GrantConfig> grants,
        string source,
        bool loaded = true,
        IEnumerable<AdminConfig>? admins = null)
    {
        Admins = [.. admins ?? []];
        Servers = servers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        Policies = policies.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        Grants = [.. grants];
        Source = source;
        IsLoaded = loaded;
    }

    /// <summary>Before any configuration was loaded: every request is denied (fail closed).</summary>
    public static GatewaySnapshot NotLoaded(string reason) => new([], [], [], reason, loaded: false);

    public FrozenDictionary<string, ServerConfig> Servers { get; }
    public FrozenDictionary<string, PolicyEntry> Policies { get; }
    public ImmutableArray<GrantConfig> Grants { get; }

    /// <summary>Approvers who may use the admin API.</summary>
    public ImmutableArray<AdminConfig> Admins { get; }

    /// <summary>Where this snapshot came from (a file path, a parameter prefix), or why none was loaded.</summary>
    public string Source { get; }

    public bool IsLoaded { get; }

    /// <summary>
    /// Finds the grant whose token hashes to <paramref name="tokenSha256"/>. Every grant is compared, in
    /// constant time, so the time taken says nothing about which grant (if any) came close.
    /// </summary>
    public GrantConfig? FindGrant(ReadOnlySpan<byte> tokenSha256)
    {
        GrantConfig? found = null;
        foreach (var grant in Grants)
        {
            if (CryptographicOperations.FixedTimeEquals(grant.TokenSha256.AsSpan(), tokenSha256))
            {
                found = grant;
            }
        }

        return found;
    }

    /// <summary>Finds the approver a credential hashes to, comparing with every admin in constant time.</summary>
    public AdminConfig? FindAdmin(ReadOnlySpan<byte> tokenSha256)
    {
        AdminConfig? found = null;
        foreach (var admin in Admins)
        {
            if (CryptographicOperations.FixedTimeEquals(admin.TokenSha256.AsSpan(), tokenSha256))
            {
                found = admin;
            }
        }

        return found;
    }
}

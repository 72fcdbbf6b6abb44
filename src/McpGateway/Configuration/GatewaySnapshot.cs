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

    /// <summary>Finds the grant whose token hashes to <paramref name="tokenSha256"/>.</summary>
    public GrantConfig? FindGrant(ReadOnlySpan<byte> tokenSha256) => FindByHash(Grants, static g => g.TokenSha256, tokenSha256);

    /// <summary>Finds the approver whose credential hashes to <paramref name="tokenSha256"/>.</summary>
    public AdminConfig? FindAdmin(ReadOnlySpan<byte> tokenSha256) => FindByHash(Admins, static a => a.TokenSha256, tokenSha256);

    /// <summary>
    /// Compares with every candidate, in constant time and without stopping at a match, so the time taken
    /// says nothing about which credential (if any) came close.
    /// </summary>
    private static T? FindByHash<T>(ImmutableArray<T> candidates, Func<T, ImmutableArray<byte>> hashOf, ReadOnlySpan<byte> tokenSha256)
        where T : class
    {
        T? found = null;
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(hashOf(candidate).AsSpan(), tokenSha256))
            {
                found = candidate;
            }
        }

        return found;
    }
}

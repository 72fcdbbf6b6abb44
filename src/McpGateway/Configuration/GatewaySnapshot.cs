using System.Collections.Frozen;
using System.Collections.Immutable;

namespace McpGateway.Configuration;

/// <summary>
/// Everything the gateway needs to answer a request, immutable once built: servers, compiled policies
/// and grants. A new snapshot replaces the old one atomically when configuration changes.
/// </summary>
internal sealed class GatewaySnapshot
{
    private readonly CredentialIndex<GrantConfig> _grantsByToken;
    private readonly CredentialIndex<AdminConfig> _adminsByToken;

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
        _grantsByToken = new CredentialIndex<GrantConfig>(Grants, static g => g.TokenSha256);
        _adminsByToken = new CredentialIndex<AdminConfig>(Admins, static a => a.TokenSha256);
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
    public GrantConfig? FindGrant(ReadOnlySpan<byte> tokenSha256) => _grantsByToken.Find(tokenSha256);

    /// <summary>Finds the approver whose credential hashes to <paramref name="tokenSha256"/>.</summary>
    public AdminConfig? FindAdmin(ReadOnlySpan<byte> tokenSha256) => _adminsByToken.Find(tokenSha256);
}

namespace McpGateway.Aws;

/// <summary>
/// An upstream request that <see cref="UpstreamSigningHandler"/> signs just before it is sent. The marker
/// is the request's type rather than an entry in <see cref="HttpRequestMessage.Options"/>: reading the options
/// creates their dictionary, which every unsigned call would then pay for.
/// </summary>
internal sealed class SigV4Request(HttpMethod method, Uri url, SigV4UpstreamAuth auth, string serverName, string grantLabel)
    : HttpRequestMessage(method, url)
{
    public SigV4UpstreamAuth Auth { get; } = auth;

    /// <summary>Named in errors and logs.</summary>
    public string ServerName { get; } = serverName;

    /// <summary>The grant the request acts for: the role session name when <see cref="SigV4UpstreamAuth.RoleArn"/> is set.</summary>
    public string GrantLabel { get; } = grantLabel;
}

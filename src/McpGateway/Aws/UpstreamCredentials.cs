using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;

namespace McpGateway.Aws;

/// <summary>
/// Who a signed upstream request is signed as: the gateway's own identity from the SDK's default chain
/// (environment variables, the Lambda role, profiles), or a grant's session of the entry's
/// <c>role_arn</c>. The chain's credential object is kept and asked on every signature, so credentials
/// that rotate (container and instance roles) are re-read as the SDK requires; nothing is resolved until a
/// signed upstream is first used, so a gateway without one needs no AWS identity.
/// </summary>
internal sealed class UpstreamCredentials : IDisposable
{
    private readonly Func<AWSCredentials> _resolveGateway;
    private readonly AssumedRoleCache _roles;
    private readonly Lock _stsLock = new();
    private AWSCredentials? _gateway;
    private IAmazonSecurityTokenService? _sts;
    private string? _stsRegion;

    public UpstreamCredentials(TimeProvider time, Func<AWSCredentials>? gateway = null, IAmazonSecurityTokenService? sts = null)
    {
        _resolveGateway = gateway ?? (static () => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null));
        _sts = sts;
        _roles = new AssumedRoleCache(Sts, time);
    }

    public void Dispose() => _sts?.Dispose();

    public ValueTask<AWSCredentials> GetAsync(SigV4Request request, CancellationToken cancellationToken)
    {
        if (request.Auth.RoleArn is { } role)
        {
            _stsRegion ??= request.Auth.Region;
            return _roles.GetAsync(role, request.GrantLabel, request.ServerName, cancellationToken);
        }

        return ValueTask.FromResult(Gateway(request.ServerName));
    }

    private AWSCredentials Gateway(string serverName)
    {
        if (_gateway is { } known)
        {
            return known;
        }

        try
        {
            return _gateway = _resolveGateway();
        }
        catch (AmazonClientException ex)
        {
            throw new UpstreamSigningException($"\"{serverName}\": the gateway has no AWS credentials to sign with ({ex.GetType().Name}); give it a role or set the standard AWS credential variables", ex);
        }
    }

    /// <summary>STS in the gateway's own region (AWS_REGION), else the first signed upstream's; its endpoint follows AWS_ENDPOINT_URL_STS.</summary>
    private IAmazonSecurityTokenService Sts()
    {
        lock (_stsLock)
        {
            if (_sts is null)
            {
                var region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } configured ? configured : _stsRegion ?? "us-east-1";
                _sts = new AmazonSecurityTokenServiceClient(Gateway("sts"), new AmazonSecurityTokenServiceConfig
                {
                    RegionEndpoint = RegionEndpoint.GetBySystemName(region),
                    Timeout = TimeSpan.FromSeconds(10),
                    MaxErrorRetry = 2,
                });
            }

            return _sts;
        }
    }
}

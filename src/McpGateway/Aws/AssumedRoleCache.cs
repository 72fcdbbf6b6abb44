using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace McpGateway.Aws;

/// <summary>
/// One STS session per (role, grant): AssumeRole with the grant's label as the session name and the session
/// tag <c>mcpgw-grant=&lt;label&gt;</c>, so CloudTrail names the grant and IAM conditions on
/// <c>aws:PrincipalTag/mcpgw-grant</c> can narrow what each grant may do. Sessions are reused until
/// <see cref="RefreshBefore"/> ahead of their expiry; one grant's refresh never waits on another's.
/// </summary>
internal sealed class AssumedRoleCache(Func<IAmazonSecurityTokenService> sts, TimeProvider time)
{
    /// <summary>The session tag key every assumed session carries.</summary>
    public const string GrantTagKey = "mcpgw-grant";

    /// <summary>
    /// Ahead of expiry the session is renewed: a signature made with credentials about to expire can still be
    /// refused if the request is slow to arrive (the AWS SDKs renew five minutes early too).
    /// </summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string RoleArn, string Grant), Slot> _slots = new();

    public async ValueTask<AWSCredentials> GetAsync(string roleArn, string grantLabel, string serverName, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd((roleArn, grantLabel), static _ => new Slot());
        if (slot.Current is { } current && time.GetUtcNow() < current.RefreshAt)
        {
            return current.Credentials;
        }

        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Current is { } fresh && time.GetUtcNow() < fresh.RefreshAt)
            {
                return fresh.Credentials;
            }

            AssumeRoleResponse response;
            try
            {
                response = await sts().AssumeRoleAsync(Request(roleArn, grantLabel), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw new UpstreamSigningException($"\"{serverName}\": the gateway could not assume {roleArn} for grant \"{grantLabel}\" ({ex.ErrorCode ?? ex.StatusCode.ToString()})", ex);
            }
            catch (AmazonClientException ex)
            {
                throw new UpstreamSigningException($"\"{serverName}\": the gateway could not reach STS to assume {roleArn} ({ex.GetType().Name})", ex);
            }

            var issued = response.Credentials ?? throw new UpstreamSigningException($"\"{serverName}\": STS answered AssumeRole for {roleArn} without credentials");
            var expires = issued.Expiration is { } at
                ? new DateTimeOffset(at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc))
                : time.GetUtcNow() + RefreshBefore;
            var session = new Session(new SessionAWSCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), expires - RefreshBefore);
            slot.Current = session;
            return session.Credentials;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    internal static AssumeRoleRequest Request(string roleArn, string grantLabel) => new()
    {
        RoleArn = roleArn,
        RoleSessionName = SessionName(grantLabel),
        Tags = [new Tag { Key = GrantTagKey, Value = grantLabel }],
    };

    /// <summary>
    /// STS session names are 2-64 characters of <c>[\w+=,.@-]</c>; grant labels are 1-128 of
    /// <c>[A-Za-z0-9_.-]</c>, so a one-character label is prefixed and a long one cut (the tag keeps it whole).
    /// </summary>
    internal static string SessionName(string grantLabel) => grantLabel.Length switch
    {
        < 2 => "mcpgw-" + grantLabel,
        > 64 => grantLabel[..64],
        _ => grantLabel,
    };

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never read holds nothing to release; slots live as long as the cache.")]
    private sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile Session? Current;
    }

    private sealed record Session(AWSCredentials Credentials, DateTimeOffset RefreshAt);
}

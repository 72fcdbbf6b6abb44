using System.Net;
using System.Text.RegularExpressions;
using McpGateway.Aws;

namespace McpGateway.Configuration;

/// <summary>
/// Validates a server entry's <c>"auth": {"type": "aws_sigv4", ...}</c> (issue 13). Service and region may
/// be left out for AWS-hosted MCP endpoints, whose host names them (<c>&lt;service&gt;.&lt;region&gt;.api.aws</c>);
/// a signed upstream must be https unless it is on a loopback address (tests, a local proxy), since a
/// signature over plain http exposes the request to anyone on the path and proves nothing about the server.
/// </summary>
internal static partial class UpstreamAuthParser
{
    public const string SigV4Type = "aws_sigv4";

    public static SigV4UpstreamAuth Parse(string server, Uri url, UpstreamAuthDto dto, IEnumerable<string> staticHeaders)
    {
        var what = $"server \"{server}\"";
        if (dto.Type != SigV4Type)
        {
            throw new ConfigException($"{what}: auth.type must be \"{SigV4Type}\"");
        }

        var inferred = AwsMcpHost().Match(url.IdnHost);
        var service = dto.Service ?? (inferred.Success ? inferred.Groups["service"].Value : null);
        var region = dto.Region ?? (inferred.Success ? inferred.Groups["region"].Value : null);
        if (service is null || region is null)
        {
            throw new ConfigException($"{what}: auth needs \"service\" and \"region\"; they can be left out only when the url's host is <service>.<region>.api.aws");
        }

        if (!ServiceName().IsMatch(service))
        {
            throw new ConfigException($"{what}: auth.service \"{service}\" is not a signing service name (lower-case letters, digits and -)");
        }

        if (!RegionName().IsMatch(region))
        {
            throw new ConfigException($"{what}: auth.region \"{region}\" is not an AWS region name such as us-west-2");
        }

        if (dto.RoleArn is { } role && !RoleArn().IsMatch(role))
        {
            throw new ConfigException($"{what}: auth.role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }

        if (url.Scheme != Uri.UriSchemeHttps && !IsLoopback(url))
        {
            throw new ConfigException($"{what}: a SigV4-signed upstream must use https (http is accepted only on loopback addresses)");
        }

        foreach (var header in staticHeaders)
        {
            if (header.Equals("authorization", StringComparison.OrdinalIgnoreCase) || header.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigException($"{what}: header \"{header}\" cannot be combined with {SigV4Type} auth: the signature sets it");
            }
        }

        return new SigV4UpstreamAuth(service, region, dto.RoleArn);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out var address) && IPAddress.IsLoopback(address));

    [GeneratedRegex(@"^(?<service>[a-z0-9-]+)\.(?<region>[a-z0-9-]+)\.api\.aws$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsMcpHost();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();

    // Partitions aws, aws-cn, aws-us-gov, aws-iso*; role paths and names per the IAM limits.
    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();
}

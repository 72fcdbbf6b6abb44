namespace McpGateway.Aws;

/// <summary>
/// The region from the standard AWS variables, required up front: the SDK would otherwise fall back to the
/// instance metadata service (seconds of timeouts off EC2) or, with an endpoint set, sign for a region nobody
/// chose. Endpoints (AWS_ENDPOINT_URL_&lt;SERVICE&gt;, AWS_ENDPOINT_URL) and credentials are the SDK's own.
/// </summary>
internal static class AwsSettings
{
    public static string Region(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment("AWS_REGION") is { Length: > 0 } region ? region
            : environment("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback
            : throw new InvalidOperationException("no AWS region: set AWS_REGION");
    }
}

namespace McpGateway.Aws;

/// <summary>
/// The standard AWS settings every AWS SDK and the CLI read (AWS_REGION, AWS_ENDPOINT_URL_&lt;SERVICE&gt;,
/// AWS_ENDPOINT_URL), so the gateway, the CLI and the tests point at emulators the same way users do.
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

    /// <summary>The service endpoint: <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, then the regional default.</summary>
    public static Uri Endpoint(string serviceId, string defaultHost, string region, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var configured = environment("AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant()) is { Length: > 0 } specific ? specific : environment("AWS_ENDPOINT_URL");
        return configured is { Length: > 0 } ? new Uri(configured) : new Uri($"https://{defaultHost}.{region}.amazonaws.com/");
    }
}

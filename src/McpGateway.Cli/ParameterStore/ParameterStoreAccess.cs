using Amazon.Runtime;
using McpGateway.Aws;

namespace McpGateway.Cli.ParameterStore;

/// <summary>
/// How the commands reach Parameter Store. <c>mcpgw</c> uses the settings the gateway uses
/// (<see cref="ParameterStoreClient.FromEnvironment"/>: AWS_REGION, AWS_ENDPOINT_URL_SSM or AWS_ENDPOINT_URL, the
/// credential chain); tests hand in a client for their own emulator instead of changing the process
/// environment, which every test running in parallel shares.
/// </summary>
internal sealed class ParameterStoreAccess(Func<ParameterStoreClient> connect)
{
    public static ParameterStoreAccess FromEnvironment { get; } = new(ParameterStoreClient.FromEnvironment);

    /// <summary>A client, or null after writing why none could be made (no region, no credentials, a bad endpoint).</summary>
    public ParameterStoreClient? Connect(TextWriter error)
    {
        try
        {
            return connect();
        }
        catch (Exception ex) when (ex is InvalidOperationException or AmazonClientException or UriFormatException)
        {
            error.WriteLine($"cannot use Parameter Store: {OneLine(ex.Message)}");
            return null;
        }
    }

    /// <summary>One line an operator can act on, for any failed call.</summary>
    public static string Describe(SsmError error, string? message, string parameterName)
    {
        var detail = OneLine(message ?? "no detail");
        return error switch
        {
            SsmError.NotFound => $"{parameterName} does not exist in Parameter Store",
            SsmError.AlreadyExists => $"{parameterName} exists already in Parameter Store",
            SsmError.AccessDenied => $"Parameter Store denied access to {parameterName} ({detail}); check the AWS credentials and that their IAM policy allows it",
            SsmError.Throttled => $"Parameter Store kept throttling the request for {parameterName}, retries included ({detail}); try again shortly",
            SsmError.Unavailable => $"Parameter Store is unavailable ({detail}); check AWS_REGION, AWS_ENDPOINT_URL_SSM or AWS_ENDPOINT_URL and the network",
            _ => $"Parameter Store refused the request for {parameterName} ({detail})",
        };
    }

    private static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim();
}

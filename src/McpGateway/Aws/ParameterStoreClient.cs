using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace McpGateway.Aws;

/// <summary>
/// The Parameter Store operations the gateway and the CLI use, through AWSSDK.SimpleSystemsManagement, with
/// every expected failure turned into an <see cref="SsmError"/> value instead of an exception. Region,
/// endpoint (<c>AWS_ENDPOINT_URL_SSM</c>, then <c>AWS_ENDPOINT_URL</c>) and credentials come from the SDK's
/// standard settings; retries of throttled calls are the SDK's standard mode (exponential backoff, full jitter).
/// </summary>
internal sealed class ParameterStoreClient(IAmazonSimpleSystemsManagement ssm, IDisposable? transport = null) : IDisposable
{
    /// <summary>GetParametersByPath's largest page (SSM API reference, MaxResults).</summary>
    private const int PageSize = 10;

    /// <summary>A client from the standard AWS settings (region, endpoint, credential chain).</summary>
    public static ParameterStoreClient FromEnvironment()
    {
        var config = Config();
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(AwsSettings.Region());
        return new(new AmazonSimpleSystemsManagementClient(config));
    }

    /// <summary>
    /// A client with fixed credentials and region against <paramref name="endpoint"/>, over
    /// <paramref name="transport"/> when given (the warm-up and tests; see <see cref="SingleHandlerHttpClientFactory"/>).
    /// </summary>
    public static ParameterStoreClient Create(AWSCredentials credentials, string region, Uri endpoint, HttpMessageHandler? transport = null, int maxErrorRetry = 4)
    {
        var config = Config();
        config.ServiceURL = endpoint.ToString();
        config.AuthenticationRegion = region;
        config.MaxErrorRetry = maxErrorRetry;
        var factory = transport is null ? null : new SingleHandlerHttpClientFactory(transport);
        config.HttpClientFactory = factory;
        return new ParameterStoreClient(new AmazonSimpleSystemsManagementClient(credentials, config), factory);
    }

    public IAmazonSimpleSystemsManagement Service => ssm;

    public Task<SsmResult<Parameter>> GetParameterAsync(string name, bool withDecryption, CancellationToken cancellationToken) =>
        CallAsync(
            "GetParameter",
            async token => (await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = withDecryption }, token).ConfigureAwait(false)).Parameter,
            cancellationToken);

    /// <summary>Every parameter under <paramref name="path"/>, following NextToken through all pages.</summary>
    public Task<SsmResult<IReadOnlyList<Parameter>>> GetParametersByPathAsync(string path, bool recursive, bool withDecryption, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Parameter>>(
            "GetParametersByPath",
            async token =>
            {
                var all = new List<Parameter>();
                string? next = null;
                do
                {
                    var page = await ssm.GetParametersByPathAsync(
                        new GetParametersByPathRequest { Path = path, Recursive = recursive, WithDecryption = withDecryption, MaxResults = PageSize, NextToken = next },
                        token).ConfigureAwait(false);
                    all.AddRange(page.Parameters ?? []);
                    next = page.NextToken;
                }
                while (!string.IsNullOrEmpty(next));

                return all;
            },
            cancellationToken);

    public Task<SsmResult<long>> PutParameterAsync(string name, string value, bool secure, bool advanced, CancellationToken cancellationToken) =>
        PutParameterAsync(name, value, secure, advanced, overwrite: true, cancellationToken);

    /// <summary>
    /// Writes <paramref name="name"/>; with <paramref name="overwrite"/> false an existing parameter is left
    /// alone and the result is <see cref="SsmError.AlreadyExists"/> (SSM checks it, so two writers cannot race).
    /// </summary>
    public Task<SsmResult<long>> PutParameterAsync(string name, string value, bool secure, bool advanced, bool overwrite, CancellationToken cancellationToken) =>
        CallAsync(
            "PutParameter",
            async token => (await ssm.PutParameterAsync(
                new PutParameterRequest
                {
                    Name = name,
                    Value = value,
                    Type = secure ? ParameterType.SecureString : ParameterType.String,
                    Tier = advanced ? ParameterTier.Advanced : ParameterTier.Standard,
                    Overwrite = overwrite,
                },
                token).ConfigureAwait(false)).Version ?? 0,
            cancellationToken);

    public void Dispose()
    {
        ssm.Dispose();
        transport?.Dispose();
    }

    private static AmazonSimpleSystemsManagementConfig Config() => new()
    {
        // Generous: the gateway bounds its first load separately (Gateway:Ssm:StartupTimeoutSeconds) and
        // refreshes in the background, so a slow answer costs nothing but freshness.
        Timeout = TimeSpan.FromSeconds(30),
        RetryMode = RequestRetryMode.Standard,
        MaxErrorRetry = 4,
    };

    private static async Task<SsmResult<T>> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return SsmResult<T>.Success(await call(cancellationToken).ConfigureAwait(false));
        }
        catch (AmazonServiceException ex) when (ex.StatusCode != 0 || ex.ErrorCode is { Length: > 0 })
        {
            var (error, message) = Classify(ex);
            return SsmResult<T>.Failure(error, $"{operation} failed: {message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonClientException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return SsmResult<T>.Failure(SsmError.Unavailable, $"Parameter Store is unreachable: {Innermost(ex).Message}");
        }
    }

    private static (SsmError Error, string Message) Classify(AmazonServiceException ex)
    {
        var code = ex.ErrorCode is { Length: > 0 } c ? c : ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var error = code switch
        {
            "ParameterNotFound" or "ParameterVersionNotFound" => SsmError.NotFound,
            "ParameterAlreadyExists" => SsmError.AlreadyExists,
            "ThrottlingException" or "TooManyUpdates" or "Throttling" => SsmError.Throttled,
            "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" => SsmError.AccessDenied,
            _ when ex.StatusCode is HttpStatusCode.Forbidden => SsmError.AccessDenied,
            _ when (int)ex.StatusCode >= 500 => SsmError.Unavailable,
            _ => SsmError.Rejected,
        };
        return (error, $"{code}: {(ex.Message is { Length: > 0 } m ? m : "no message")}");
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }
}

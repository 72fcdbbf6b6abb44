using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace McpGateway.Aws;

/// <summary>
/// A minimal Parameter Store client: the package AWSSDK.SimpleSystemsManagement is not on the registry
/// this project builds from (BRIEF.md), so this speaks SSM's JSON 1.1 protocol directly (<c>POST /</c>,
/// <c>X-Amz-Target: AmazonSSM.&lt;Operation&gt;</c>), signed by AWSSDK.Core's public
/// <see cref="SigV4SigningHandler"/> with credentials from the SDK's default chain (environment, profiles,
/// the Lambda execution role). Only the operations the gateway and the CLI need.
/// </summary>
internal sealed class SsmClient : IDisposable
{
    private const string ContentType = "application/x-amz-json-1.1";
    private const int MaxAttempts = 5;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public SsmClient(HttpMessageHandler signedHandler, Uri endpoint)
    {
        // Generous: the gateway bounds its first load separately (Gateway:Ssm:StartupTimeoutSeconds) and
        // refreshes in the background, so a slow answer costs nothing but freshness.
        _http = new HttpClient(signedHandler) { Timeout = TimeSpan.FromSeconds(30) };
        _endpoint = endpoint;
    }

    /// <summary>A client from the standard AWS settings (region, endpoint, credential chain).</summary>
    public static SsmClient FromEnvironment()
    {
        var region = AwsSettings.Region();
        var endpoint = AwsSettings.Endpoint("ssm", "ssm", region);
        var credentials = new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
        return new SsmClient(CreateSigningHandler(credentials, region, null), endpoint);
    }

    /// <summary>
    /// The signing pipeline: retries sit outside the signer so each attempt is signed afresh, and the
    /// transport never follows redirects (a redirected request would arrive unsigned or mis-signed).
    /// </summary>
    public static HttpMessageHandler CreateSigningHandler(AWSCredentials credentials, string region, DateTime? signedAt, HttpMessageHandler? transport = null) =>
        new SigV4SigningHandler(
            new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = RegionEndpoint.GetBySystemName(region),
                Service = "ssm",
                SignedAt = signedAt,
            },
            transport ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = true, UseCookies = false });

    public Task<SsmResult<SsmParameter>> GetParameterAsync(string name, bool withDecryption, CancellationToken cancellationToken) =>
        SendAsync("GetParameter", new GetParameterRequest(name, withDecryption), SsmJsonContext.Default.GetParameterRequest, SsmJsonContext.Default.GetParameterResponse, r => r.Parameter, cancellationToken);

    /// <summary>Every parameter under <paramref name="path"/>, following NextToken through all pages.</summary>
    public async Task<SsmResult<IReadOnlyList<SsmParameter>>> GetParametersByPathAsync(string path, bool recursive, bool withDecryption, CancellationToken cancellationToken)
    {
        var all = new List<SsmParameter>();
        string? next = null;
        do
        {
            var page = await SendAsync(
                "GetParametersByPath",
                new GetParametersByPathRequest(path, recursive, withDecryption, 10, next),
                SsmJsonContext.Default.GetParametersByPathRequest,
                SsmJsonContext.Default.GetParametersByPathResponse,
                r => r,
                cancellationToken).ConfigureAwait(false);
            if (!page.IsSuccess)
            {
                return SsmResult<IReadOnlyList<SsmParameter>>.Failure(page.Error, page.Message!);
            }

            all.AddRange(page.Value!.Parameters ?? []);
            next = page.Value.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return SsmResult<IReadOnlyList<SsmParameter>>.Success(all);
    }

    public Task<SsmResult<long>> PutParameterAsync(string name, string value, bool secure, bool advanced, CancellationToken cancellationToken) =>
        PutParameterAsync(name, value, secure, advanced, overwrite: true, cancellationToken);

    /// <summary>
    /// Writes <paramref name="name"/>; with <paramref name="overwrite"/> false an existing parameter is left
    /// alone and the result is <see cref="SsmError.AlreadyExists"/> (SSM checks it, so two writers cannot race).
    /// </summary>
    public Task<SsmResult<long>> PutParameterAsync(string name, string value, bool secure, bool advanced, bool overwrite, CancellationToken cancellationToken) =>
        SendAsync(
            "PutParameter",
            new PutParameterRequest(name, value, secure ? "SecureString" : "String", advanced ? "Advanced" : "Standard", overwrite),
            SsmJsonContext.Default.PutParameterRequest,
            SsmJsonContext.Default.PutParameterResponse,
            r => r.Version,
            cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<SsmResult<TResult>> SendAsync<TRequest, TResponse, TResult>(
        string operation,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TResponse, TResult> select,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSSM." + operation);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return SsmResult<TResult>.Failure(SsmError.Unavailable, $"Parameter Store at {_endpoint} is unreachable: {ex.Message}");
            }

            using (response)
            {
                var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var value = JsonSerializer.Deserialize(payload, responseType);
                    return value is null
                        ? SsmResult<TResult>.Failure(SsmError.Rejected, $"{operation}: empty response")
                        : SsmResult<TResult>.Success(select(value));
                }

                var (error, message) = Classify(response.StatusCode, payload);
                if (error == SsmError.Throttled && attempt < MaxAttempts)
                {
                    // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads the
                    // retries of many instances refreshing at once instead of synchronising them.
                    var ceiling = Math.Min(2000, 100 * (1 << attempt));
                    await Task.Delay(Random.Shared.Next(ceiling), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return SsmResult<TResult>.Failure(error, $"{operation} failed: {message}");
            }
        }
    }

    private static (SsmError Error, string Message) Classify(HttpStatusCode status, byte[] payload)
    {
        SsmErrorBody? body = null;
        try
        {
            body = JsonSerializer.Deserialize(payload, SsmJsonContext.Default.SsmErrorBody);
        }
        catch (JsonException)
        {
        }

        // "__type" is "ParameterNotFound" or "com.amazonaws.ssm#ParameterNotFound" depending on the endpoint.
        var type = body?.Type is { } t ? t[(t.LastIndexOf('#') + 1)..] : "";
        var message = $"{(type.Length > 0 ? type : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))}: {body?.Message ?? body?.LowerMessage ?? "no message"}";
        var error = type switch
        {
            "ParameterNotFound" or "ParameterVersionNotFound" => SsmError.NotFound,
            "ParameterAlreadyExists" => SsmError.AlreadyExists,
            "ThrottlingException" or "TooManyUpdates" or "Throttling" => SsmError.Throttled,
            "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" => SsmError.AccessDenied,
            _ when (int)status >= 500 => SsmError.Unavailable,
            _ => SsmError.Rejected,
        };
        return (error, message);
    }
}

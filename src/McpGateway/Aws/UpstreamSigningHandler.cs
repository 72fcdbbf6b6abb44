using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace McpGateway.Aws;

/// <summary>
/// Signs every <see cref="SigV4Request"/> with AWS Signature Version 4 (AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>) as the last step before the transport: after the gateway has re-serialised
/// the message and applied its header allow-list, over exactly the bytes that are sent, with their
/// Content-Length (a signed body is never chunked). Every header goes into the signature except the
/// hop-by-hop ones, which a proxy between the gateway and the service may rewrite. Other requests pass
/// through untouched. It sits directly above the socket handler: nothing after it may change the request,
/// and the transport follows no redirects (a redirected hop would arrive unsigned).
/// </summary>
internal sealed class UpstreamSigningHandler(UpstreamCredentials credentials, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>RFC 9110 section 7.6.1 connection-specific fields, plus Expect (a hop-level negotiation).</summary>
    private static readonly FrozenSet<string> Unsigned = new[]
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te",
        "trailer", "transfer-encoding", "upgrade", "expect",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request is SigV4Request signed ? SignAndSendAsync(signed, cancellationToken) : base.SendAsync(request, cancellationToken);

    /// <summary>Adds the signature headers to <paramref name="request"/>; <paramref name="signedAt"/> fixes the time (tests).</summary>
    internal static async Task SignAsync(SigV4Request request, AWSCredentials signer, DateTime? signedAt, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri };
        if (request.Content is { } content)
        {
            var payload = await PayloadAsync(content, cancellationToken).ConfigureAwait(false);
            content.Headers.ContentLength = payload.Length;
            if (!MemoryMarshal.TryGetArray(payload, out var segment))
            {
                segment = new ArraySegment<byte>(payload.ToArray());
            }

            signing.ContentStream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            AddSigned(signing, content.Headers);
        }

        AddSigned(signing, request.Headers);

        AWSSigningResult result;
        try
        {
            result = await AWSSigV4Signer.SignAsync(
                signing,
                new AWSSigV4Parameters
                {
                    Credentials = signer,
                    Region = RegionEndpoint.GetBySystemName(request.Auth.Region),
                    Service = request.Auth.Service,
                    SignedAt = signedAt,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException ex)
        {
            throw new UpstreamSigningException($"\"{request.ServerName}\": the gateway's AWS credentials could not be read ({ex.GetType().Name})", ex);
        }

        foreach (var (name, value) in result.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private async Task<HttpResponseMessage> SignAndSendAsync(SigV4Request request, CancellationToken cancellationToken)
    {
        try
        {
            var signer = await credentials.GetAsync(request, cancellationToken).ConfigureAwait(false);
            await SignAsync(request, signer, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCredentialFault(ex, cancellationToken))
        {
            // STS or the credential source was unreachable, broke or timed out on its own. Nothing was sent, so
            // this is a signing failure (its quota given back), not the upstream's fault, whatever the exception.
            throw new UpstreamSigningException($"\"{request.ServerName}\": the gateway could not obtain AWS credentials ({ex.GetType().Name})", ex);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What the AWS SDK may throw while it fetches credentials: its own exceptions, and the transport's as they are
    /// (a refused connection, a reset, its own timeout). A cancellation of the caller's token is the caller's.
    /// </summary>
    private static bool IsCredentialFault(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonClientException or AmazonServiceException or HttpRequestException or IOException or TimeoutException ||
        (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static async ValueTask<ReadOnlyMemory<byte>> PayloadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content is ISignablePayload known)
        {
            return known.Payload;
        }

        // Buffered content sends its buffer, so the bytes hashed here are the bytes sent.
        await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddSigned(AWSSigningRequest signing, HttpHeaders headers)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            if (!Unsigned.Contains(name) && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                // SigV4 canonical form: one line per name, values trimmed and comma-joined in wire order.
                signing.Headers[name] = values.Count == 1 ? values.ToString().Trim() : string.Join(',', values.Select(v => v.Trim()));
            }
        }
    }
}

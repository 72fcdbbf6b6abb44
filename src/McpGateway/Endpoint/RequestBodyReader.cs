using System.Buffers;
using System.Runtime.CompilerServices;
using McpGateway.Buffers;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Endpoint;

/// <summary>
/// Reads a request body up to a limit. A declared Content-Length over the limit is refused before a
/// byte is read; a chunked body (the C# SDK client sends those) is refused as soon as it passes it.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// The body in pooled memory (issue 8: a fresh copy was 16 KB of allocation per call with 16 KB of
    /// arguments). The caller disposes it after the message parsed from it: the parsed document reads these
    /// bytes in place, and anything that outlives the request (the approval webhook) takes its own copy.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(GatewayError Error, PooledBufferWriter? Body)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (GatewayError.PayloadTooLarge, null);
        }

        var reader = request.BodyReader;
        var declared = request.ContentLength;

        // With a declared length, wait for all of it at once: the connection receives a 16 KB body in several
        // reads, and a plain ReadAsync resumed this method after each of them (issue 8).
        var result = declared > 0
            ? await reader.ReadAtLeastAsync((int)declared.Value, cancellationToken).ConfigureAwait(false)
            : await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (GatewayError.PayloadTooLarge, null);
            }

            // Kestrel delivers exactly the declared length, so all of it is the whole body.
            if (result.IsCompleted || buffer.Length == declared)
            {
                var length = (int)buffer.Length;
                var body = new PooledBufferWriter(Math.Max(length, 1));
                buffer.CopyTo(body.GetSpan(length));
                body.Advance(length);
                reader.AdvanceTo(buffer.End);
                return (GatewayError.None, body);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Hosting;

/// <summary>
/// Reads a request body up to a limit. A declared Content-Length over the limit is refused before a
/// byte is read; a chunked body (the C# SDK client sends those) is refused as soon as it passes it.
/// </summary>
internal static class RequestBodyReader
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(GatewayError Error, byte[] Body)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (GatewayError.PayloadTooLarge, []);
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (GatewayError.PayloadTooLarge, []);
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return (GatewayError.None, body);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}

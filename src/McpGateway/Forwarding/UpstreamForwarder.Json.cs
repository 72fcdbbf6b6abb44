using System.Runtime.CompilerServices;
using System.Text.Json;
using McpGateway.Buffers;
using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Forwarding;

/// <summary>The JSON half of the relay: one answer, read within bounds, judged against the request and re-written.</summary>
internal sealed partial class UpstreamForwarder
{
    /// <summary>
    /// Reads, judges and re-writes a JSON answer whole, for the exit to send with its length in one write: a
    /// chunked answer reached the client in two writes, the second (its end) only after the gateway had finished
    /// the call (issue 8).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Relayed> RelayJsonAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, int status, CancellationToken cancellationToken)
    {
        // The document reads the pooled bytes in place, so it is disposed before they go back to the pool.
        using var body = await ReadBoundedAsync(upstream.Content, _options.MaxResponseMessageBytes, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body.WrittenMemory, UpstreamJson);
        var message = document.RootElement;
        var kind = exchange.Classify(message);
        if (kind == ReplyKind.Foreign || (kind == ReplyKind.Other && exchange.Message is { Kind: JsonRpcMessageKind.Request }))
        {
            // A JSON body is the one answer to the request; anything else is never relayed as that answer.
            return RefuseForeign(context, exchange, status, kind);
        }

        var isAnswer = kind is ReplyKind.Result or ReplyKind.Error;
        var outcome = !isAnswer ? UpstreamOutcome.NoAnswer
            : kind == ReplyKind.Error ? UpstreamOutcome.ErrorAnswer
            : status < 300 ? UpstreamOutcome.Answered : UpstreamOutcome.Invalid;

        // Even a body that does not answer the request goes out whole: the response is complete once it leaves.
        var answer = new PooledBufferWriter(body.WrittenCount + 256);
        var writer = JsonWriterCache.Rent(answer);
        try
        {
            WriteMessage(writer, exchange, message, isAnswer);
            writer.Flush();
        }
        catch
        {
            answer.Dispose();
            throw;
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        return new(new ForwardResult(status, outcome, GatewayError.None), Answer: answer);
    }

    private Relayed RefuseForeign(HttpContext context, UpstreamExchange exchange, int status, ReplyKind kind)
    {
        var reason = kind == ReplyKind.Foreign ? "a response with another id" : "a message that is not a response";
        GatewayLog.UpstreamForeignAnswer(logger, exchange.Server.Name, exchange.Message!.IdText ?? "null", reason);
        context.Response.Headers.Remove(McpHeaders.SessionId);
        context.Response.Headers.Remove(McpHeaders.ProtocolVersion);
        return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamForeignId, $"\"{exchange.Server.Name}\" sent {reason}");
    }

    /// <summary>
    /// Reads a JSON answer whole (it is parsed and re-written before the client sees a byte) into pooled
    /// arrays: a fresh 4 KB buffer grown to 12 KB was 16 KB of the 28 KB a small proxied call allocated
    /// (issue 8). The initial size follows a declared length up to 64 KB; past that the buffer grows only
    /// as bytes actually arrive, so a false Content-Length cannot make the gateway reserve memory.
    /// </summary>
    private static async Task<PooledBufferWriter> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        const int MaxPresized = 64 * 1024;
        var declared = content.Headers.ContentLength;
        if (declared > limit)
        {
            throw new InvalidDataException($"the upstream response exceeds {limit} bytes");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

        // One byte more than declared, so the read that finds the end needs no larger array.
        var buffer = new PooledBufferWriter(declared is { } length ? (int)Math.Min(length + 1, MaxPresized) : 4096);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(1), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    throw new InvalidDataException($"the upstream response exceeds {limit} bytes");
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}

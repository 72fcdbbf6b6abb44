using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.IO.Pipelines;
using McpGateway.Buffers;
using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpGateway.Forwarding;

/// <summary>The JSON half of the relay: one answer, read within bounds, judged against the request and re-written.</summary>
internal sealed partial class UpstreamForwarder
{
    /// <summary>
    /// Relays a JSON answer message by message. The usual body is one message, the answer: it is judged, re-written
    /// and handed to the exit to send with its length in one write (a chunked answer reached the client in two
    /// writes, the second only after the gateway had finished the call, issue 8). A body whose first message is a
    /// notification or a server request is a stream of messages (MCP 2026-07-28): each is relayed as a line of its
    /// own the moment it is complete, until the answer, as <see cref="RelayEventsAsync"/> does for SSE.
    /// </summary>
    /// <remarks>
    /// Nothing after the answer is read: the answer ends the exchange, and trailing bytes cannot change it. The
    /// upstream's deadline covers the first message; after it, <c>idle_timeout_seconds</c> covers the silences.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Relayed> RelayJsonAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, int status, CancellationTokenSource timeout)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var reader = new JsonMessageReader(stream, _options.MaxResponseMessageBytes);
        await using (reader.ConfigureAwait(false))
        {
            var first = await reader.ReadAsync(timeout.Token).ConfigureAwait(false) ?? throw new InvalidDataException("the upstream sent an empty JSON body");

            // The document reads the pooled bytes in place, so it is disposed before the reader reuses them.
            using (var document = JsonDocument.Parse(first, UpstreamJson))
            {
                var message = document.RootElement;
                var kind = exchange.Classify(message);
                if (kind == ReplyKind.Foreign || message.ValueKind != JsonValueKind.Object)
                {
                    return RefuseForeign(context, exchange, status, ReplyKind.Foreign);
                }

                if (kind != ReplyKind.Other || exchange.Message is not { Kind: JsonRpcMessageKind.Request })
                {
                    var isAnswer = kind != ReplyKind.Other;
                    var outcome = !isAnswer ? UpstreamOutcome.NoAnswer
                        : kind == ReplyKind.Error ? UpstreamOutcome.ErrorAnswer
                        : status < 300 ? UpstreamOutcome.Answered : UpstreamOutcome.Invalid;
                    return new(new ForwardResult(status, outcome, GatewayError.None), Answer: Rewrite(exchange, message, isAnswer, first.Length));
                }

                if (status >= 300)
                {
                    // A stream of messages is an answer in progress: under an error status it is not one.
                    return RefuseForeign(context, exchange, status, ReplyKind.Other);
                }

                context.Response.ContentType = "application/json";
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
                await WriteLineAsync(context.Response.BodyWriter, exchange, message, isAnswer: false, context.RequestAborted).ConfigureAwait(false);
            }

            timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            return await RelayJsonLinesAsync(context, exchange, reader, status).ConfigureAwait(false);
        }
    }

    /// <summary>The messages after the first of a JSON stream, until the answer, the body's end, a failure or a silence.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Relayed> RelayJsonLinesAsync(HttpContext context, UpstreamExchange exchange, JsonMessageReader reader, int status)
    {
        var cancellationToken = context.RequestAborted;
        var idleTimeout = exchange.Server.IdleTimeout;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reader.WatchSilences(idle, idleTimeout);
        var name = exchange.Server.Name;
        try
        {
            while (await reader.ReadAsync(idle.Token).ConfigureAwait(false) is { } bytes)
            {
                using var document = JsonDocument.Parse(bytes, UpstreamJson);
                var message = document.RootElement;
                var kind = exchange.Classify(message);
                if (kind == ReplyKind.Foreign || message.ValueKind != JsonValueKind.Object)
                {
                    GatewayLog.UpstreamForeignAnswer(logger, name, exchange.Message!.IdText ?? "null", "a response with another id in its JSON stream");
                    return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamForeignId, $"\"{name}\" sent a response with another id");
                }

                var isAnswer = kind != ReplyKind.Other;
                await WriteLineAsync(context.Response.BodyWriter, exchange, message, isAnswer, cancellationToken).ConfigureAwait(false);
                if (isAnswer)
                {
                    return new(new ForwardResult(status, kind == ReplyKind.Result ? UpstreamOutcome.Answered : UpstreamOutcome.ErrorAnswer, GatewayError.None));
                }
            }

            // Unlike an SSE stream, a JSON body cannot be resumed: ending it unanswered is a broken answer.
            GatewayLog.UpstreamStreamFailed(logger, name, "EndOfBody");
            return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamStreamBroken, $"\"{name}\" ended its JSON stream before answering");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.UpstreamStreamIdle(logger, name, idleTimeout.TotalSeconds);
            return Failed(status, UpstreamOutcome.Idle, GatewayError.UpstreamIdle, $"\"{name}\" sent nothing for {idleTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or HttpRequestException)
        {
            GatewayLog.UpstreamStreamFailed(logger, name, ex.GetType().Name);
            return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamStreamBroken, $"\"{name}\" sent a message the gateway could not read, or its connection dropped");
        }
    }

    private static ValueTask<FlushResult> WriteLineAsync(PipeWriter output, UpstreamExchange exchange, JsonElement message, bool isAnswer, CancellationToken cancellationToken)
    {
        var writer = JsonWriterCache.Rent(output);
        try
        {
            WriteMessage(writer, exchange, message, isAnswer);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        // Compact JSON holds no raw newline, so one line is one message.
        output.Write("\n"u8);
        return output.FlushAsync(cancellationToken);
    }

    private static PooledBufferWriter Rewrite(UpstreamExchange exchange, JsonElement message, bool isAnswer, int size)
    {
        var answer = new PooledBufferWriter(size + 256);
        var writer = JsonWriterCache.Rent(answer);
        try
        {
            WriteMessage(writer, exchange, message, isAnswer);
            writer.Flush();
            return answer;
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
    }

    private Relayed RefuseForeign(HttpContext context, UpstreamExchange exchange, int status, ReplyKind kind)
    {
        var reason = kind == ReplyKind.Foreign ? "a response with another id" : "a message that is not a response";
        GatewayLog.UpstreamForeignAnswer(logger, exchange.Server.Name, exchange.Message!.IdText ?? "null", reason);
        context.Response.Headers.Remove(McpHeaders.SessionId);
        context.Response.Headers.Remove(McpHeaders.ProtocolVersion);
        return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamForeignId, $"\"{exchange.Server.Name}\" sent {reason}");
    }
}

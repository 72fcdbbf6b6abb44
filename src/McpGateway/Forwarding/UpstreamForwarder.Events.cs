using System.Runtime.CompilerServices;
using System.Text.Json;
using McpGateway.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpGateway.Forwarding;

/// <summary>The SSE half of the relay: event by event, until the answer, the stream's end, a failure or a silence.</summary>
internal sealed partial class UpstreamForwarder
{
    /// <remarks>
    /// Once the 200 has gone out, a failure can no longer change the status: if the answer was not yet relayed,
    /// the exit writes a JSON-RPC error event for the request's id before the stream ends, never a stream that
    /// just stops (issue 16). The answer ends the relay: the transport has the server close the stream after
    /// it (MCP 2025-06-18, "Sending Messages to the Server"), and nothing the upstream sends later can change
    /// what the call came to.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Relayed> RelayEventsAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, int status, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);

        var outcome = UpstreamOutcome.NoAnswer;
        var failure = GatewayError.None;
        string? detail = null;
        var sse = new SseWriter(response.BodyWriter);
        var idleTimeout = exchange.Server.IdleTimeout;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var reader = new SseReader(stream, _options.MaxResponseMessageBytes, idle, idleTimeout);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(idle.Token).ConfigureAwait(false) is { } item)
                {
                    if (!item.HasData || item.Data.IsEmpty)
                    {
                        await sse.WriteEmptyEventAsync(item.EventType, item.Id, item.Retry, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    using var document = JsonDocument.Parse(item.Data, UpstreamJson);
                    var message = document.RootElement;
                    var kind = exchange.Classify(message);
                    if (kind == ReplyKind.Foreign || message.ValueKind != JsonValueKind.Object)
                    {
                        // A batch or a bare value is no JSON-RPC message; the filters and sealers judge objects
                        // only, so relaying one would pass whatever it holds unjudged, as on the JSON path.
                        var what = kind == ReplyKind.Foreign ? "a response with another id" : "a message that is not a JSON-RPC object";
                        GatewayLog.UpstreamForeignAnswer(logger, exchange.Server.Name, exchange.Message?.IdText ?? "null", what + " on the stream");
                        (failure, detail) = (GatewayError.UpstreamForeignId, $"\"{exchange.Server.Name}\" sent {what}");
                        outcome = UpstreamOutcome.Invalid;
                        break;
                    }

                    var isAnswer = kind != ReplyKind.Other;
                    await sse.WriteJsonEventAsync(
                        item.EventType,
                        item.Id,
                        item.Retry,
                        (exchange, message, isAnswer),
                        static (writer, state) => WriteMessage(writer, state.exchange, state.message, state.isAnswer),
                        cancellationToken).ConfigureAwait(false);
                    if (isAnswer)
                    {
                        outcome = kind == ReplyKind.Result ? UpstreamOutcome.Answered : UpstreamOutcome.ErrorAnswer;
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.UpstreamStreamIdle(logger, exchange.Server.Name, idleTimeout.TotalSeconds);
            (failure, detail) = (GatewayError.UpstreamIdle, $"\"{exchange.Server.Name}\" sent nothing for {idleTimeout.TotalSeconds:0} s");
            outcome = UpstreamOutcome.Idle;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or HttpRequestException)
        {
            GatewayLog.UpstreamStreamFailed(logger, exchange.Server.Name, ex.GetType().Name);
            (failure, detail) = (GatewayError.UpstreamStreamBroken, $"\"{exchange.Server.Name}\" sent an event the gateway could not read, or its connection dropped");
            outcome = UpstreamOutcome.Invalid;
        }

        return new(new ForwardResult(status, outcome, failure), detail);
    }
}

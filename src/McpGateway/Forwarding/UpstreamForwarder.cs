using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using McpGateway.Aws;
using McpGateway.Buffers;
using McpGateway.Protocol;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpGateway.Forwarding;

/// <summary>
/// Sends a judged request upstream and relays the answer as it arrives: JSON as JSON, SSE event by
/// event, each message parsed and re-written (never the upstream's raw bytes), so tools/list filtering
/// applies wherever a result appears and the client only ever reads well-formed messages.
/// </summary>
internal sealed partial class UpstreamForwarder(
    UpstreamClient client,
    SessionSealer sealer,
    IOptions<GatewayOptions> options,
    ILogger<UpstreamForwarder> logger)
{
    /// <summary>Request headers that reach the upstream; everything else (Authorization first of all) stays behind.</summary>
    private static readonly string[] ForwardedRequestHeaders = [McpHeaders.ProtocolVersion, McpHeaders.Method, McpHeaders.Name, McpHeaders.LastEventId];

    /// <summary>Response headers that reach the client.</summary>
    private static readonly string[] RelayedResponseHeaders = [McpHeaders.ProtocolVersion, "Cache-Control", "Retry-After"];

    private static readonly JsonDocumentOptions UpstreamJson = new() { MaxDepth = JsonRpcParser.MaxDepth };

    private readonly GatewayOptions _options = options.Value;

    /// <remarks>
    /// This and the relay methods below return pooled <see cref="ValueTask{TResult}"/>s: every caller awaits
    /// them once, directly, so their state machines are reused instead of allocated per call (issue 8).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamExchange exchange)
    {
        using var request = BuildRequest(context, exchange);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(exchange.Server.Timeout);

        HttpResponseMessage response;
        try
        {
            // SendAsync returns once the request is written and the answer is awaited (or the send failed).
            var sending = client.Invoker.SendAsync(request, timeout.Token);
            exchange.WhileUpstreamWorks();
            response = await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.UpstreamTimedOut(logger, exchange.Server.Name, exchange.Server.Timeout.TotalSeconds);
            await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamTimeout, $"\"{exchange.Server.Name}\" did not answer within {exchange.Server.Timeout.TotalSeconds:0} s", RequestId(exchange)).ConfigureAwait(false);

            // The request may have been sent and acted on: a timeout keeps its quota (issue 16).
            return new ForwardResult(null, UpstreamOutcome.Timeout, GatewayError.UpstreamTimeout);
        }
        catch (UpstreamSigningException ex)
        {
            // The message names the server and the failed step; it holds no credential material.
            GatewayLog.UpstreamSigningFailed(logger, exchange.Server.Name, ex.Message);
            await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamUnavailable, $"\"{exchange.Server.Name}\" could not be reached: the gateway could not sign the request", RequestId(exchange)).ConfigureAwait(false);
            return new ForwardResult(null, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable);
        }
        catch (HttpRequestException ex) when (NeverSent(ex))
        {
            GatewayLog.UpstreamUnavailable(logger, exchange.Server.Name, ex.HttpRequestError.ToString());
            await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamUnavailable, $"\"{exchange.Server.Name}\" could not be reached", RequestId(exchange)).ConfigureAwait(false);
            return new ForwardResult(null, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable);
        }
        catch (HttpRequestException ex)
        {
            // Connected and sent, then the connection ended or the answer's head was not HTTP: it may have run.
            GatewayLog.UpstreamBrokeProtocol(logger, exchange.Server.Name, ex.HttpRequestError.ToString());
            await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamProtocolError, $"\"{exchange.Server.Name}\" ended the connection without a valid answer", RequestId(exchange)).ConfigureAwait(false);
            return new ForwardResult(null, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError);
        }

        using (response)
        {
            try
            {
                return await RelayAsync(context, exchange, response, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                GatewayLog.UpstreamTimedOut(logger, exchange.Server.Name, exchange.Server.Timeout.TotalSeconds);
                if (!context.Response.HasStarted)
                {
                    await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamTimeout, $"\"{exchange.Server.Name}\" did not answer within {exchange.Server.Timeout.TotalSeconds:0} s", RequestId(exchange)).ConfigureAwait(false);
                }

                return new ForwardResult((int)response.StatusCode, UpstreamOutcome.Timeout, GatewayError.UpstreamTimeout);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or HttpRequestException)
            {
                GatewayLog.UpstreamBrokeProtocol(logger, exchange.Server.Name, ex.GetType().Name);
                if (!context.Response.HasStarted)
                {
                    await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamProtocolError, $"\"{exchange.Server.Name}\" sent a response the gateway could not read", RequestId(exchange)).ConfigureAwait(false);
                }

                return new ForwardResult((int)response.StatusCode, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError);
            }
        }
    }

    /// <summary>
    /// Failures that happen before a single byte of the request can have reached a server able to run it. A
    /// connection that dies after sending (ResponseEnded) or a garbled status line (InvalidResponse) is not one.
    /// </summary>
    private static bool NeverSent(HttpRequestException ex) => ex.HttpRequestError is
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or
        HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private static HttpRequestMessage BuildRequest(HttpContext context, UpstreamExchange exchange)
    {
        // A SigV4 upstream's request is signed last, below this, by UpstreamSigningHandler (issue 13).
        var request = exchange.Server.Auth is { } auth
            ? new SigV4Request(exchange.Method, exchange.Server.Url, auth, exchange.Server.Name, exchange.Grant.Label)
            : new HttpRequestMessage(exchange.Method, exchange.Server.Url);
        request.Version = System.Net.HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher;

        foreach (var name in ForwardedRequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        if (exchange.UpstreamSessionId is { } session)
        {
            request.Headers.TryAddWithoutValidation(McpHeaders.SessionId, session);
        }

        // The upstream's own credentials come from configuration, never from the client.
        foreach (var (name, value) in exchange.Server.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (exchange.Method == HttpMethod.Post)
        {
            // As one raw value: parsed header objects would be built per call only to be printed back.
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
            request.Content = new PooledJsonContent(Reserialize(exchange.Message!));
        }
        else if (exchange.Method == HttpMethod.Get)
        {
            request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        }

        return request;
    }

    /// <summary>
    /// The message as the gateway forwards it: its own re-serialisation, written into pooled arrays that
    /// <see cref="PooledJsonContent"/> sends and returns. Utf8JsonWriter asks for room for the worst-case
    /// escaping of every string (six bytes per byte), so writing straight into a growing ArrayBufferWriter
    /// allocated several times the message's size on every call, and an exact-size copy still one (issue 8).
    /// </summary>
    internal static PooledBufferWriter Reserialize(JsonRpcMessage message)
    {
        var buffer = new PooledBufferWriter();
        var writer = JsonWriterCache.Rent(buffer);
        try
        {
            message.WriteTo(writer);
            writer.Flush();
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        return buffer;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardResult> RelayAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, CancellationTokenSource timeout)
    {
        var status = (int)upstream.StatusCode;
        var response = context.Response;

        if (status is 401 or 403 or 407)
        {
            // The upstream refused the gateway's own credentials: that is the operator's problem to fix,
            // and relaying 401 would make the agent believe its grant token is wrong.
            var hint = exchange.Server.Auth is null ? "check the server's configured headers" : "check the IAM permissions of the identity the gateway signs as";
            GatewayLog.UpstreamRejectedCredentials(logger, exchange.Server.Name, status, hint);
            await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamUnavailable, $"\"{exchange.Server.Name}\" refused the gateway's credentials (HTTP {status}); {hint}", RequestId(exchange)).ConfigureAwait(false);
            return new ForwardResult(status, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable);
        }

        var mediaType = upstream.Content.Headers.ContentType?.MediaType;
        var isEvents = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var isJson = string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        if (status >= 400 && exchange.Method == HttpMethod.Post && (!(isEvents || isJson) || upstream.Content.Headers.ContentLength == 0))
        {
            // An HTML 500 or an empty 502 from whatever stands in front of the server: the client gets a JSON-RPC
            // error that names the server instead of a bare status (issue 16). GET and DELETE keep the upstream's
            // status, whose meaning the transport defines (405: no GET stream offered).
            return await RefuseHttpFailureAsync(context, exchange, status, mediaType).ConfigureAwait(false);
        }

        response.StatusCode = status;
        CopyResponseHeaders(upstream, response, exchange);

        if (status is 202 or 204 || upstream.Content.Headers.ContentLength == 0 || mediaType is null)
        {
            if (isEvents)
            {
                // An empty stream is still a stream: the client reads it by its type.
                response.ContentType = "text/event-stream";
            }

            return new ForwardResult(status, UpstreamOutcome.NoAnswer, GatewayError.None);
        }

        if (isEvents)
        {
            // A stream may legitimately run for many minutes (progress of a long tool call, the GET
            // stream); the upstream deadline covers the wait for headers only, idle_timeout_seconds the silences.
            timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            return await RelayEventsAsync(context, exchange, upstream, status, context.RequestAborted).ConfigureAwait(false);
        }

        if (isJson)
        {
            return await RelayJsonAsync(context, exchange, upstream, status, timeout.Token).ConfigureAwait(false);
        }

        if (status >= 400)
        {
            // An error page on a GET or DELETE: the status tells the client enough, the body is not MCP.
            return new ForwardResult(status, UpstreamOutcome.NoAnswer, GatewayError.None);
        }

        GatewayLog.UpstreamBrokeProtocol(logger, exchange.Server.Name, "content type " + mediaType);
        response.Headers.Remove(McpHeaders.SessionId);
        await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamProtocolError, $"\"{exchange.Server.Name}\" answered with {mediaType}", RequestId(exchange)).ConfigureAwait(false);
        return new ForwardResult(status, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError);
    }

    private async ValueTask<ForwardResult> RefuseHttpFailureAsync(HttpContext context, UpstreamExchange exchange, int status, string? mediaType)
    {
        GatewayLog.UpstreamHttpFailure(logger, exchange.Server.Name, status, mediaType ?? "no body");

        // A 404 on a session is the transport's "session expired": the client must see 404 to start a new one.
        var error = status == 404 && exchange.UpstreamSessionId is not null ? GatewayError.UnknownSession : GatewayError.UpstreamHttpError;
        await GatewayErrorResponder.WriteAsync(context, error, $"\"{exchange.Server.Name}\" answered HTTP {status}", RequestId(exchange)).ConfigureAwait(false);
        return new ForwardResult(status, UpstreamOutcome.Invalid, error);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardResult> RelayJsonAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, int status, CancellationToken cancellationToken)
    {
        // The document reads the pooled bytes in place, so it is disposed before they go back to the pool.
        using var body = await ReadBoundedAsync(upstream.Content, _options.MaxResponseMessageBytes, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body.WrittenMemory, UpstreamJson);
        var message = document.RootElement;
        var kind = exchange.Classify(message);
        if (kind == ReplyKind.Foreign || (kind == ReplyKind.Other && exchange.Message is { Kind: JsonRpcMessageKind.Request }))
        {
            // A JSON body is the one answer to the request; anything else is never relayed as that answer.
            return await RefuseForeignAsync(context, exchange, status, kind).ConfigureAwait(false);
        }

        var isAnswer = kind is ReplyKind.Result or ReplyKind.Error;
        var outcome = !isAnswer ? UpstreamOutcome.NoAnswer
            : kind == ReplyKind.Error ? UpstreamOutcome.ErrorAnswer
            : status < 300 ? UpstreamOutcome.Answered : UpstreamOutcome.Invalid;
        var result = new ForwardResult(status, outcome, GatewayError.None);

        // Written whole first, so that it leaves with its length in one write: a chunked answer reached the
        // client in two writes, the second (its end) only after the gateway had finished the call (issue 8).
        using var answer = new PooledBufferWriter(body.WrittenCount + 256);
        var writer = JsonWriterCache.Rent(answer);
        try
        {
            WriteMessage(writer, exchange, message, isAnswer);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        // Even a body that does not answer the request: the response is complete once it leaves.
        await exchange.OnAnswerAsync(result).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.WrittenCount;
        await context.Response.BodyWriter.WriteAsync(answer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<ForwardResult> RefuseForeignAsync(HttpContext context, UpstreamExchange exchange, int status, ReplyKind kind)
    {
        var reason = kind == ReplyKind.Foreign ? "a response with another id" : "a message that is not a response";
        GatewayLog.UpstreamForeignAnswer(logger, exchange.Server.Name, exchange.Message!.IdText ?? "null", reason);
        context.Response.Headers.Remove(McpHeaders.SessionId);
        context.Response.Headers.Remove(McpHeaders.ProtocolVersion);
        await GatewayErrorResponder.WriteAsync(context, GatewayError.UpstreamForeignId, $"\"{exchange.Server.Name}\" sent {reason}", RequestId(exchange)).ConfigureAwait(false);
        return new ForwardResult(status, UpstreamOutcome.Invalid, GatewayError.UpstreamForeignId);
    }

    private static void WriteMessage(Utf8JsonWriter writer, UpstreamExchange exchange, JsonElement message, bool isAnswer)
    {
        if (exchange.ShouldFilter(message, isAnswer))
        {
            ToolsListFilter.Write(writer, message, exchange.Policy!);
        }
        else
        {
            message.WriteTo(writer);
        }
    }

    private void CopyResponseHeaders(HttpResponseMessage upstream, HttpResponse response, UpstreamExchange exchange)
    {
        // Values as received: the validated view parses each one into header objects (a Cache-Control on
        // every SSE answer) only for them to be printed back; the allow-list is by name either way.
        var headers = upstream.Headers.NonValidated;
        foreach (var name in RelayedResponseHeaders)
        {
            if (headers.TryGetValues(name, out var values))
            {
                response.Headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }

        if (headers.TryGetValues(McpHeaders.SessionId, out var sessions) && sessions.Count > 0 && sessions.First() is { Length: > 0 } session)
        {
            response.Headers[McpHeaders.SessionId] = sealer.Seal(exchange.Grant.Label, session);
        }
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

    private static JsonElement RequestId(UpstreamExchange exchange) => exchange.Message?.Id ?? default;
}

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

    /// <summary>
    /// How every upstream message is read. A duplicate key is refused as it is from clients: the filters read one
    /// copy of a member and the relay would write both, so <c>{"tools":[...],"tools":[]}</c> could pass a hidden tool.
    /// </summary>
    private static readonly JsonDocumentOptions UpstreamJson = new() { MaxDepth = JsonRpcParser.MaxDepth, AllowDuplicateProperties = false };

    private readonly GatewayOptions _options = options.Value;

    /// <summary>
    /// Forwards the request and relays the answer. Every path leaves through one exit: the caller's
    /// <paramref name="completion"/> runs exactly once, and only then does the last of the response go out (a
    /// JSON answer, the error the gateway writes, an SSE stream's end).
    /// </summary>
    /// <remarks>
    /// This and the relay methods below return pooled <see cref="ValueTask{TResult}"/>s: every caller awaits
    /// them once, directly, so their state machines are reused instead of allocated per call (issue 8).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamExchange exchange, IForwardCompletion? completion = null)
    {
        Relayed relayed;
        try
        {
            relayed = await ExchangeAsync(context, exchange, completion).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            relayed = new(new ForwardResult(null, UpstreamOutcome.ClientGone, GatewayError.None));
        }

        var result = relayed.Result;
        if (!result.Completed && context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up after the call was sent: nothing more can reach it, and the upstream may have acted.
            result = new ForwardResult(result.UpstreamStatus, UpstreamOutcome.ClientGone, GatewayError.None);
        }

        using (relayed.Answer)
        {
            if (completion is not null)
            {
                await completion.OnCompletedAsync(result).ConfigureAwait(false);
            }

            if (relayed.Answer is { } answer)
            {
                // Written whole, with its length, in one write: the response is complete the moment it leaves.
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = answer.WrittenCount;
                await context.Response.BodyWriter.WriteAsync(answer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            }
            else if (result.Error != GatewayError.None)
            {
                await WriteFailureAsync(context, exchange, result.Error, relayed.Detail).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>
    /// The client learns of a failure as a JSON-RPC error: the response itself if nothing has gone out yet, else an
    /// event on the stream that carries its request. Where neither can be written (a GET stream has no request to
    /// answer), the response is aborted, as YARP's ResetOrAbort does, so a broken relay never looks like a clean end.
    /// </summary>
    private static async ValueTask WriteFailureAsync(HttpContext context, UpstreamExchange exchange, GatewayError error, string? detail)
    {
        var response = context.Response;
        if (!response.HasStarted)
        {
            await GatewayErrorResponder.WriteAsync(context, error, detail, RequestId(exchange)).ConfigureAwait(false);
        }
        else if (exchange.Message is { Kind: JsonRpcMessageKind.Request } request &&
                 string.Equals(response.ContentType, "text/event-stream", StringComparison.Ordinal))
        {
            await GatewayErrorResponder.WriteEventAsync(new SseWriter(response.BodyWriter), error, detail, request.Id, context.RequestAborted).ConfigureAwait(false);
        }
        else if (exchange.Message is { Kind: JsonRpcMessageKind.Request } streamed &&
                 string.Equals(response.ContentType, "application/json", StringComparison.Ordinal))
        {
            // A JSON stream of messages (2026-07-28) that broke before its answer: the error is its last line.
            await GatewayErrorResponder.WriteLineAsync(response.BodyWriter, error, detail, streamed.Id, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Abort();
        }
    }

    /// <summary>
    /// What the relay leaves for the exit: the result, the detail of the error to write (when the result carries
    /// one), and a JSON answer ready to go out.
    /// </summary>
    private readonly record struct Relayed(ForwardResult Result, string? Detail = null, PooledBufferWriter? Answer = null);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Relayed> ExchangeAsync(HttpContext context, UpstreamExchange exchange, IForwardCompletion? completion)
    {
        using var request = BuildRequest(context, exchange);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(exchange.Server.Timeout);
        var name = exchange.Server.Name;

        HttpResponseMessage response;
        try
        {
            // SendAsync returns once the request is written and the answer is awaited (or the send failed).
            var sending = client.Invoker.SendAsync(request, timeout.Token);
            completion?.WhileUpstreamWorks();
            response = await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The request may have been sent and acted on: a timeout keeps its quota (issue 16).
            GatewayLog.UpstreamTimedOut(logger, name, exchange.Server.Timeout.TotalSeconds);
            return Failed(null, UpstreamOutcome.Timeout, GatewayError.UpstreamTimeout, TimeoutDetail(exchange));
        }
        catch (UpstreamSigningException ex)
        {
            // The message names the server and the failed step; it holds no credential material.
            GatewayLog.UpstreamSigningFailed(logger, name, ex.Message);
            return Failed(null, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable, $"\"{name}\" could not be reached: the gateway could not sign the request");
        }
        catch (HttpRequestException ex) when (NeverSent(ex))
        {
            GatewayLog.UpstreamUnavailable(logger, name, ex.HttpRequestError.ToString());
            return Failed(null, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable, $"\"{name}\" could not be reached");
        }
        catch (HttpRequestException ex)
        {
            // Connected and sent, then the connection ended or the answer's head was not HTTP: it may have run.
            GatewayLog.UpstreamBrokeProtocol(logger, name, ex.HttpRequestError.ToString());
            return Failed(null, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError, $"\"{name}\" ended the connection without a valid answer");
        }

        using (response)
        {
            try
            {
                return await RelayAsync(context, exchange, response, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                GatewayLog.UpstreamTimedOut(logger, name, exchange.Server.Timeout.TotalSeconds);
                return Failed((int)response.StatusCode, UpstreamOutcome.Timeout, GatewayError.UpstreamTimeout, TimeoutDetail(exchange));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or HttpRequestException)
            {
                GatewayLog.UpstreamBrokeProtocol(logger, name, ex.GetType().Name);
                return Failed((int)response.StatusCode, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError, $"\"{name}\" sent a response the gateway could not read");
            }
        }
    }

    private static Relayed Failed(int? status, UpstreamOutcome outcome, GatewayError error, string detail) =>
        new(new ForwardResult(status, outcome, error), detail);

    private static string TimeoutDetail(UpstreamExchange exchange) =>
        $"\"{exchange.Server.Name}\" did not answer within {exchange.Server.Timeout.TotalSeconds:0} s";

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
                var forwarded = name == McpHeaders.Name ? McpNameHeader.ForUpstream(value.ToString(), exchange.Message) : value.ToString();
                request.Headers.TryAddWithoutValidation(name, forwarded);
            }
        }

        if (exchange.ParamHeaders is { } checkedHeaders)
        {
            foreach (var (name, value) in checkedHeaders)
            {
                request.Headers.TryAddWithoutValidation(name, value);
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
    private async ValueTask<Relayed> RelayAsync(HttpContext context, UpstreamExchange exchange, HttpResponseMessage upstream, CancellationTokenSource timeout)
    {
        var status = (int)upstream.StatusCode;
        var response = context.Response;

        if (status is 401 or 403 or 407)
        {
            // The upstream refused the gateway's own credentials: that is the operator's problem to fix,
            // and relaying 401 would make the agent believe its grant token is wrong.
            var hint = exchange.Server.Auth is null ? "check the server's configured headers" : "check the IAM permissions of the identity the gateway signs as";
            GatewayLog.UpstreamRejectedCredentials(logger, exchange.Server.Name, status, hint);
            return Failed(status, UpstreamOutcome.NotSent, GatewayError.UpstreamUnavailable, $"\"{exchange.Server.Name}\" refused the gateway's credentials (HTTP {status}); {hint}");
        }

        var mediaType = upstream.Content.Headers.ContentType?.MediaType;
        var isEvents = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var isJson = string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        if (status >= 400 && exchange.Method == HttpMethod.Post && (!(isEvents || isJson) || upstream.Content.Headers.ContentLength == 0))
        {
            // An HTML 500 or an empty 502 from whatever stands in front of the server: the client gets a JSON-RPC
            // error that names the server instead of a bare status (issue 16). GET and DELETE keep the upstream's
            // status, whose meaning the transport defines (405: no GET stream offered).
            return RefuseHttpFailure(exchange, status, mediaType);
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

            return new(new ForwardResult(status, UpstreamOutcome.NoAnswer, GatewayError.None));
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
            return await RelayJsonAsync(context, exchange, upstream, status, timeout).ConfigureAwait(false);
        }

        if (status >= 400)
        {
            // An error page on a GET or DELETE: the status tells the client enough, the body is not MCP.
            return new(new ForwardResult(status, UpstreamOutcome.NoAnswer, GatewayError.None));
        }

        GatewayLog.UpstreamBrokeProtocol(logger, exchange.Server.Name, "content type " + mediaType);
        response.Headers.Remove(McpHeaders.SessionId);
        return Failed(status, UpstreamOutcome.Invalid, GatewayError.UpstreamProtocolError, $"\"{exchange.Server.Name}\" answered with {mediaType}");
    }

    private Relayed RefuseHttpFailure(UpstreamExchange exchange, int status, string? mediaType)
    {
        GatewayLog.UpstreamHttpFailure(logger, exchange.Server.Name, status, mediaType ?? "no body");

        // A 404 on a session is the transport's "session expired": the client must see 404 to start a new one.
        var error = status == 404 && exchange.UpstreamSessionId is not null ? GatewayError.UnknownSession : GatewayError.UpstreamHttpError;
        return Failed(status, UpstreamOutcome.Invalid, error, $"\"{exchange.Server.Name}\" answered HTTP {status}");
    }

    private static void WriteMessage(Utf8JsonWriter writer, UpstreamExchange exchange, JsonElement message, bool isAnswer)
    {
        if (isAnswer && exchange.InputRequired is { } sealer && sealer.Seals(message))
        {
            sealer.Write(writer, message, exchange);
        }
        else if (exchange.Transform is { } transform && transform.Applies(message, isAnswer))
        {
            transform.Write(writer, message);
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

    private static JsonElement RequestId(UpstreamExchange exchange) => exchange.Message?.Id ?? default;
}

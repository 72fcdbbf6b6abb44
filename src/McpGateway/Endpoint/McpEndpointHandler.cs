using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using McpGateway.Catalog;
using McpGateway.Configuration;
using McpGateway.Enforcement;
using McpGateway.Forwarding;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpGateway.Endpoint;

/// <summary>
/// <c>POST | GET | DELETE /mcp/{server}</c>: authenticates the grant, checks the request against the MCP
/// transport rules, then hands tool calls to <see cref="ToolCallHandler"/> and everything else to the
/// forwarder. Checks run cheapest first, and nothing reaches the upstream before every check passed.
/// </summary>
internal sealed class McpEndpointHandler(
    IGatewayConfigProvider config,
    SessionSealer sealer,
    UpstreamForwarder forwarder,
    ToolCallHandler toolCalls,
    EntryRequestHandler entries,
    ToolPinCheck pins,
    TaskIdBinding tasks,
    RequestStateBinding requestStates,
    IOptions<GatewayOptions> options,
    ILogger<McpEndpointHandler> logger)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string server)
    {
        var request = context.Request;
        var method = request.Method;
        if (!HttpMethods.IsPost(method) && !HttpMethods.IsGet(method) && !HttpMethods.IsDelete(method))
        {
            await RefuseAsync(context, GatewayError.MethodNotAllowed, server).ConfigureAwait(false);
            return;
        }

        if (!OriginValidator.IsAllowed(request, _options.AllowedOrigins))
        {
            await RefuseAsync(context, GatewayError.InvalidOrigin, server).ConfigureAwait(false);
            return;
        }

        var snapshot = config.Current;
        if (!snapshot.IsLoaded)
        {
            await RefuseAsync(context, GatewayError.NotConfigured, server, snapshot.Source).ConfigureAwait(false);
            return;
        }

        var error = GrantAuthenticator.Authenticate(request, snapshot, out var grant);
        if (error != GatewayError.None)
        {
            await RefuseAsync(context, error, server).ConfigureAwait(false);
            return;
        }

        if (!snapshot.Servers.TryGetValue(server, out var serverConfig))
        {
            await RefuseAsync(context, GatewayError.UnknownServer, server).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(grant!.Server, server, StringComparison.Ordinal))
        {
            await RefuseAsync(context, GatewayError.WrongServer, server).ConfigureAwait(false);
            return;
        }

        string? upstreamSession = null;
        var sessionHeader = request.Headers[McpHeaders.SessionId];
        if (!StringValues.IsNullOrEmpty(sessionHeader))
        {
            // A session minted for another grant, or not by this gateway, does not exist as far as this
            // caller is concerned: 404 is what MCP clients treat as "start a new session".
            if (sessionHeader.Count != 1 ||
                !sealer.TryUnseal(sessionHeader[0]!, out var sessionGrant, out var upstreamId) ||
                !string.Equals(sessionGrant, grant.Label, StringComparison.Ordinal))
            {
                await RefuseAsync(context, GatewayError.UnknownSession, server).ConfigureAwait(false);
                return;
            }

            upstreamSession = upstreamId;
        }

        var scope = CreateScope(snapshot, grant, serverConfig, upstreamSession);
        if (HttpMethods.IsPost(method))
        {
            await HandlePostAsync(context, scope).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method) && !_options.AllowGetStream)
        {
            // MCP transports: a server that offers no GET stream answers 405; clients then use POST only.
            await RefuseAsync(context, GatewayError.GetStreamNotOffered, scope.Server.Name).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method))
        {
            await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Get, null)).ConfigureAwait(false);
        }
        else
        {
            await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Delete, null)).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask HandlePostAsync(HttpContext context, RequestScope scope)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !string.Equals(contentType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, GatewayError.UnsupportedMediaType, scope.Server.Name).ConfigureAwait(false);
            return;
        }

        if (!AcceptsMcpResponses(request))
        {
            await RefuseAsync(context, GatewayError.NotAcceptable, scope.Server.Name).ConfigureAwait(false);
            return;
        }

        var (readError, body) = await RequestBodyReader.ReadAsync(request, _options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (readError != GatewayError.None)
        {
            await RefuseAsync(context, readError, scope.Server.Name).ConfigureAwait(false);
            return;
        }

        // The parsed message reads the pooled body in place, so the body goes back to the pool only after it.
        using var pooledBody = body!;
        var parseError = JsonRpcParser.TryParse(pooledBody.WrittenMemory, out var message, out var detail);
        if (parseError != GatewayError.None)
        {
            await RefuseAsync(context, parseError, scope.Server.Name, detail).ConfigureAwait(false);
            return;
        }

        using (message)
        {
            var headerError = McpHeaderCheck.Validate(request, message!, out var headerProblem);
            if (headerError != GatewayError.None)
            {
                await RefuseAsync(context, headerError, scope.Server.Name, headerProblem, message!.Id).ConfigureAwait(false);
                return;
            }

            // A retry of a multi-round-trip call (2026-07-28) goes on as the upstream's own message, once its envelope opens.
            JsonRpcMessage? retry = null;
            if (RequestStateBinding.Carries(message!))
            {
                (retry, var stateError, var stateProblem) = await requestStates.OpenAsync(scope.Owner, message!, context.RequestAborted).ConfigureAwait(false);
                if (retry is null)
                {
                    await RefuseAsync(context, stateError, scope.Server.Name, stateProblem, message!.Id).ConfigureAwait(false);
                    return;
                }
            }

            using (retry)
            {
                await DispatchAsync(context, scope, retry ?? message!, continued: retry is not null).ConfigureAwait(false);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DispatchAsync(HttpContext context, RequestScope scope, JsonRpcMessage message, bool continued)
    {
        if (message.Kind == JsonRpcMessageKind.Request && message.Method == McpMethods.ToolsCall)
        {
            await toolCalls.HandleAsync(context, scope, message, continued).ConfigureAwait(false);
            return;
        }

        if (TaskIdBinding.Governs(message))
        {
            // Under 2026-07-28 the tasks methods belong to an extension (SEP-2663): tasks/result no longer exists, and the
            // others are refused to a request that does not declare the extension, before its id is looked at.
            var stateless = McpHeaders.IsStateless(context.Request);
            if (stateless && message.Method != McpMethods.TasksResult && !RequestCapabilities.DeclaresExtension(message.Params, RequestCapabilities.TasksExtension))
            {
                await RefuseAsync(context, GatewayError.MissingTasksExtension, scope.Server.Name, null, message.Id).ConfigureAwait(false);
                return;
            }

            // A task id that does not open for this grant is answered as a task that does not exist.
            using var unwrapped = tasks.Unwrap(scope, message);
            if (unwrapped is null)
            {
                var removed = stateless && message.Method == McpMethods.TasksResult;
                await RefuseAsync(context, removed ? GatewayError.RemovedMethod : GatewayError.UnknownTask, scope.Server.Name, null, message.Id).ConfigureAwait(false);
                return;
            }

            await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Post, unwrapped)).ConfigureAwait(false);
            return;
        }

        if (EntryRequestHandler.Governs(message))
        {
            await entries.HandleAsync(context, scope, message, continued).ConfigureAwait(false);
            return;
        }

        // A request method the gateway does not know (a vendor's, a later revision's) may read or do what no policy
        // section names: under default deny it is refused as a method the server lacks, as an unlisted tool is denied.
        if (message.Kind == JsonRpcMessageKind.Request && !McpMethods.PassesUngoverned(message.Method) &&
            scope.Policy?.Document.Default != DefaultAction.Allow)
        {
            await RefuseAsync(context, GatewayError.UngovernedMethod, scope.Server.Name, null, message.Id).ConfigureAwait(false);
            return;
        }

        await forwarder.ForwardAsync(context, scope.CreateExchange(HttpMethod.Post, message)).ConfigureAwait(false);
    }

    /// <summary>
    /// MCP clients must accept both JSON and SSE; one that accepts neither cannot read any answer. A
    /// missing Accept header means "anything" in HTTP and is let through.
    /// </summary>
    private static bool AcceptsMcpResponses(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(accept))
        {
            return true;
        }

        foreach (var value in accept)
        {
            if (value is not null &&
                (value.Contains("application/json", StringComparison.OrdinalIgnoreCase) ||
                 value.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) ||
                 value.Contains("*/*", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private RequestScope CreateScope(GatewaySnapshot snapshot, GrantConfig grant, ServerConfig server, string? upstreamSession)
    {
        snapshot.Policies.TryGetValue(grant.Policy, out var policy);
        return new RequestScope
        {
            Grant = grant,
            Server = server,
            Policy = policy?.Compiled,
            PolicyVersion = policy?.Version,
            PolicyFailureReason = policy is null
                ? $"policy \"{grant.Policy}\" of grant \"{grant.Label}\" does not exist, so every call is denied"
                : policy.FailureReason,
            UpstreamSessionId = upstreamSession,
            Pins = pins,
            Tasks = tasks,
            RequestStates = requestStates,
        };
    }

    private Task RefuseAsync(HttpContext context, GatewayError error, string server, string? detail = null, System.Text.Json.JsonElement id = default)
    {
        GatewayLog.RequestRefused(logger, error, server.Length > 128 ? server[..128] : server);
        return GatewayErrorResponder.WriteAsync(context, error, detail, id);
    }
}

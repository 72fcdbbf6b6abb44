namespace McpGateway;

/// <summary>
/// Every expected way a request can fail, as a value rather than an exception (YARP's ForwarderError is
/// the model). <see cref="Forwarding.GatewayErrorResponder"/> maps each to the status and JSON-RPC error
/// the client sees, in one place.
/// </summary>
internal enum GatewayError
{
    None,
    MissingToken,
    UnknownToken,
    UnknownServer,
    WrongServer,
    InvalidOrigin,
    UnsupportedMediaType,
    NotAcceptable,
    PayloadTooLarge,
    ParseError,
    InvalidRequest,
    BatchNotSupported,
    InvalidParams,

    /// <summary>
    /// A method 2026-07-28 removed (<c>tasks/result</c>, <c>resources/subscribe</c>), sent under that revision in a form
    /// the gateway cannot judge: answered as the revision's servers answer it, never forwarded unjudged.
    /// </summary>
    RemovedMethod,

    /// <summary>
    /// A request method the gateway neither judges nor passes, under a policy whose default is deny: answered as a
    /// method the server does not have, since no rule could allow what it does.
    /// </summary>
    UngovernedMethod,

    /// <summary>A retry whose requestState envelope does not open for this call, expired, or was used already (issue 21).</summary>
    InvalidRequestState,

    /// <summary>A retry whose envelope opened but whose one use the counter store could not record: refused, failing closed.</summary>
    RequestStateUnchecked,
    HeaderMismatch,

    /// <summary>The same, under MCP 2026-07-28, which gives it a code of its own (-32020).</summary>
    StatelessHeaderMismatch,
    UnknownSession,
    MethodNotAllowed,

    /// <summary>A GET on a gateway configured without the GET stream (MCP: such a server answers 405).</summary>
    GetStreamNotOffered,
    NotConfigured,
    UpstreamUnavailable,
    UpstreamTimeout,
    UpstreamProtocolError,
    UpstreamHttpError,
    UpstreamForeignId,
    UpstreamStreamBroken,
    UpstreamIdle,
    UnknownTool,

    /// <summary>A resource or prompt read the policy refuses (issue 16); the detail is the policy's reason.</summary>
    DeniedByPolicy,

    /// <summary>A hidden resource under <c>default: allow</c>, answered as MCP servers answer an unknown one.</summary>
    UnknownResource,

    /// <summary>A hidden prompt under <c>default: allow</c>, answered as an unknown prompt.</summary>
    UnknownPrompt,

    /// <summary>A task id that this grant did not get from this gateway (issue 16): answered as an unknown task.</summary>
    UnknownTask,

    /// <summary>
    /// A tasks method under 2026-07-28 from a request that does not declare the tasks extension: the revision's servers
    /// refuse it with -32021 whatever the id (SEP-2663), and so does the gateway, before it looks at the id.
    /// </summary>
    MissingTasksExtension,
}

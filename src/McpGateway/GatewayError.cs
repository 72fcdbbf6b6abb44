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
    HeaderMismatch,
    UnknownSession,
    MethodNotAllowed,
    NotConfigured,
    UpstreamUnavailable,
    UpstreamTimeout,
    UpstreamProtocolError,
}

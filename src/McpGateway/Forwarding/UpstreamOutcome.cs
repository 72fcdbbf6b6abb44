namespace McpGateway.Forwarding;

/// <summary>
/// What became of a forwarded request upstream, as far as the gateway can prove it. Only two outcomes show that
/// the upstream did not run the call and may give its quota back; every other failure keeps it, because an
/// upstream that acts and then answers garbage, hangs or drops the stream must not earn unlimited calls (issue 16).
/// </summary>
internal enum UpstreamOutcome
{
    /// <summary>The upstream answered the request with a result, and the answer reached the client.</summary>
    Answered,

    /// <summary>The upstream answered with a JSON-RPC error: it refused the call. Quota given back.</summary>
    ErrorAnswer,

    /// <summary>
    /// The request never reached a server that could run it: no connection, a name or TLS failure, or the
    /// upstream refusing the gateway's credentials. Quota given back.
    /// </summary>
    NotSent,

    /// <summary>No answer (202, an empty body, or a stream that ended cleanly without one); the call may have run.</summary>
    NoAnswer,

    /// <summary>The upstream did not answer within the server's timeout after the request was sent.</summary>
    Timeout,

    /// <summary>
    /// The answer was unreadable, not JSON-RPC, carried another request's id, or the stream broke: the gateway
    /// wrote an error in its place.
    /// </summary>
    Invalid,

    /// <summary>The stream stayed silent past the server's <c>idle_timeout_seconds</c> and the gateway ended it.</summary>
    Idle,

    /// <summary>The client hung up before the answer reached it; the upstream may have run the call.</summary>
    ClientGone,
}

namespace McpGateway.Forwarding;

/// <summary>How a message from the upstream relates to the request it was sent for.</summary>
internal enum ReplyKind
{
    /// <summary>Not a response: a notification or a server request on the stream, or anything on a GET stream.</summary>
    Other,

    /// <summary>The answer to the request, with a result.</summary>
    Result,

    /// <summary>
    /// The answer to the request, with an error; also an error whose id is null (JSON-RPC 2.0 section 5: the
    /// server could not read the request's id, so it cannot have run it).
    /// </summary>
    Error,

    /// <summary>A response whose id is not the request's: never relayed as the answer (issue 16).</summary>
    Foreign,
}

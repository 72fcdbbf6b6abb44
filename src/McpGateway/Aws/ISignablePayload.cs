namespace McpGateway.Aws;

/// <summary>
/// Request content that holds its bytes already, so <see cref="UpstreamSigningHandler"/> hashes exactly what
/// will be sent without buffering a copy.
/// </summary>
internal interface ISignablePayload
{
    /// <summary>The body as it will be written to the connection; valid until the content is disposed.</summary>
    ReadOnlyMemory<byte> Payload { get; }
}

namespace McpGateway.Aws;

/// <summary>
/// The gateway could not sign a request for a SigV4 upstream (no credentials, the role could not be
/// assumed). The message names the server and the step that failed and never carries credential material.
/// </summary>
internal sealed class UpstreamSigningException(string message, Exception? inner = null) : Exception(message, inner);

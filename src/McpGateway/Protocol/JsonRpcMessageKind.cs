namespace McpGateway.Protocol;

/// <summary>The three shapes of a JSON-RPC 2.0 message.</summary>
internal enum JsonRpcMessageKind
{
    Request,
    Notification,
    Response,
}

namespace McpGateway.Forwarding;

/// <summary>
/// Turns an upstream's task id into the one its client may use (issue 16). Implemented by the request's scope, which
/// knows the grant, so a transform needs no delegate or closure of its own per request.
/// </summary>
internal interface ITaskIdSealer
{
    string SealTaskId(string upstreamTaskId);
}

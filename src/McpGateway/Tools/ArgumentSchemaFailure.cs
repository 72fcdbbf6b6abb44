namespace McpGateway.Tools;

/// <summary>
/// Why arguments failed their schema: the keyword (<c>type</c>, <c>enum</c>, <c>required</c>...) and the
/// JSON Pointer of the argument, never the value, which may be a secret.
/// </summary>
internal sealed record ArgumentSchemaFailure(string Keyword, string InstancePath)
{
    /// <summary>A reason the agent can act on, e.g. <c>arguments do not match the tool's inputSchema: "type" failed at /target</c>.</summary>
    public string Reason => $"arguments do not match the tool's inputSchema: \"{Keyword}\" failed at {(InstancePath.Length == 0 ? "the arguments object" : InstancePath)}";
}

namespace McpGateway.Policy;

/// <summary>
/// Whether a rule, limit or document is enforced or only evaluated and reported (issue 17). A shadowed
/// element is evaluated exactly as an enforced one, but the call goes on as if it were absent; what it
/// would have done is written to the decision line.
/// </summary>
internal enum PolicyMode
{
    Enforce,
    Shadow,
}

namespace McpGateway.Policy;

/// <summary>One reason a policy document is invalid, located in the source text.</summary>
/// <param name="Path">JSON path of the offending value, e.g. <c>tools.create_charge.require[0].op</c>.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
/// <param name="Line">1-based line in the document.</param>
/// <param name="Column">1-based column in the document.</param>
internal sealed record PolicyProblem(string Path, string Message, int Line, int Column)
{
    public override string ToString() => $"{Path}: {Message} (line {Line}, column {Column})";
}

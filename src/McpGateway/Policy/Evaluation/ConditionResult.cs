namespace McpGateway.Policy.Evaluation;

/// <summary>Outcome of one condition on one call.</summary>
internal enum ConditionResult
{
    False,
    True,

    /// <summary>The argument exists but has a type the operator cannot judge (a string for <c>gt</c>).</summary>
    WrongType,
}

namespace McpGateway.Logging;

/// <summary>Where decision log lines go (standard output by default; CloudWatch collects it on Lambda).</summary>
internal interface IDecisionLog
{
    void Write(DecisionLogEntry entry);

    /// <summary>An approver's action, in the same stream as the decisions it governs.</summary>
    void Write(ApprovalLogEntry entry);

    /// <summary>A policy version that switched rules between enforce and shadow (issue 17).</summary>
    void Write(PolicyModeLogEntry entry);

    /// <summary>A pinned server's tool whose definition is not the pinned one (issue 15).</summary>
    void Write(ToolDriftLogEntry entry);
}

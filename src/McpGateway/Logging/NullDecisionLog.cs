namespace McpGateway.Logging;

/// <summary>Discards decisions, when an operator turns the decision log off.</summary>
internal sealed class NullDecisionLog : IDecisionLog
{
    public void Write(DecisionLogEntry entry)
    {
    }

    public void Write(ApprovalLogEntry entry)
    {
    }

    public void Write(PolicyModeLogEntry entry)
    {
    }

    public void Write(ToolDriftLogEntry entry)
    {
    }
}

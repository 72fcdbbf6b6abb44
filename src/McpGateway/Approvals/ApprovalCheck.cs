namespace McpGateway.Approvals;

/// <summary>What the approval gate found for a call.</summary>
internal enum ApprovalCheckKind
{
    /// <summary>No live approval existed; a pending one was just recorded (and notified).</summary>
    Created,

    /// <summary>An approval is pending a decision.</summary>
    Waiting,

    /// <summary>Approved and unused: the call may run once.</summary>
    Approved,

    /// <summary>An approver said no; the record carries who and why.</summary>
    Rejected,
}

internal readonly record struct ApprovalCheck(ApprovalCheckKind Kind, ApprovalRecord Record);

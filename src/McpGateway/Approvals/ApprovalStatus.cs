namespace McpGateway.Approvals;

/// <summary>Where an approval is in its life: waiting, decided, or used by the one call it covered.</summary>
internal enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Consumed,
}

namespace McpGateway.Approvals;

/// <summary>
/// Where approvals live: DynamoDB on AWS (shared by every instance), memory locally. Every state change
/// is conditional, so two instances, or two concurrent retries, can never both win.
/// </summary>
internal interface IApprovalStore
{
    /// <summary>The approval for a call, by its fingerprint, whatever its state.</summary>
    Task<ApprovalRecord?> FindByFingerprintAsync(string fingerprint, CancellationToken cancellationToken);

    Task<ApprovalRecord?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Records a new pending approval unless a live one (pending, approved or rejected, not expired)
    /// exists for the same call; returns false when it lost that race.
    /// </summary>
    Task<bool> CreatePendingAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Approves or rejects a pending, unexpired approval; returns the updated record, or null when it was not pending.</summary>
    Task<ApprovalRecord?> DecideAsync(string id, bool approve, string admin, string? note, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Uses an approved, unexpired approval for the one call it covers; false when another call used it first.</summary>
    Task<bool> ConsumeAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalRecord>> ListPendingAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

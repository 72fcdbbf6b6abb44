namespace McpGateway.Approvals;

/// <summary>Approvals in process memory (local runs): one lock makes every transition atomic.</summary>
internal sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ApprovalRecord> _byFingerprint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fingerprintById = new(StringComparer.Ordinal);

    public Task<ApprovalRecord?> FindByFingerprintAsync(string fingerprint, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_byFingerprint.GetValueOrDefault(fingerprint));
        }
    }

    public Task<ApprovalRecord?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_fingerprintById.TryGetValue(id, out var fingerprint) && _byFingerprint.TryGetValue(fingerprint, out var record) && record.Id == id
                ? record
                : null);
        }
    }

    public Task<bool> CreatePendingAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_byFingerprint.TryGetValue(record.Fingerprint, out var existing) && ApprovalRules.IsLive(existing, now))
            {
                return Task.FromResult(false);
            }

            _byFingerprint[record.Fingerprint] = record;
            _fingerprintById[record.Id] = record.Fingerprint;
            return Task.FromResult(true);
        }
    }

    public Task<ApprovalRecord?> DecideAsync(string id, bool approve, string admin, string? note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_fingerprintById.TryGetValue(id, out var fingerprint) ||
                !_byFingerprint.TryGetValue(fingerprint, out var record) ||
                record.Id != id || record.State != ApprovalStatus.Pending || record.IsExpired(now))
            {
                return Task.FromResult<ApprovalRecord?>(null);
            }

            var decided = record with
            {
                Status = approve ? ApprovalStatuses.Approved : ApprovalStatuses.Rejected,
                DecidedBy = admin,
                DecidedAt = now,
                Note = note,
            };
            _byFingerprint[fingerprint] = decided;
            return Task.FromResult<ApprovalRecord?>(decided);
        }
    }

    public Task<bool> ConsumeAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_byFingerprint.TryGetValue(record.Fingerprint, out var current) ||
                current.Id != record.Id || current.State != ApprovalStatus.Approved || current.IsExpired(now))
            {
                return Task.FromResult(false);
            }

            _byFingerprint[record.Fingerprint] = current with { Status = ApprovalStatuses.Consumed };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ApprovalRecord>> ListPendingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ApprovalRecord>>(
                [.. _byFingerprint.Values.Where(r => r.State == ApprovalStatus.Pending && !r.IsExpired(now)).OrderBy(r => r.CreatedAt)]);
        }
    }
}

using System.Text.Json;
using McpGateway.Policy;

namespace McpGateway.Approvals;

/// <summary>
/// The approval flow of issue 7 for one call whose rule says <c>approve</c>: find the approval bound to
/// this exact call, or record a pending one and notify the approvers.
/// </summary>
internal sealed class ApprovalGate(IApprovalStore store, ApprovalNotifier notifier, TimeProvider time)
{
    public async Task<ApprovalCheck> CheckAsync(ApprovalRequest call, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fingerprint = ApprovalRules.Fingerprint(call.Grant, call.Server, call.Tool, call.ArgumentsSha256, call.PolicyVersion ?? call.Policy);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var existing = await store.FindByFingerprintAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            if (existing is not null && ApprovalRules.IsLive(existing, now))
            {
                return existing.State switch
                {
                    ApprovalStatus.Approved => new ApprovalCheck(ApprovalCheckKind.Approved, existing),
                    ApprovalStatus.Rejected => new ApprovalCheck(ApprovalCheckKind.Rejected, existing),
                    _ => new ApprovalCheck(ApprovalCheckKind.Waiting, existing),
                };
            }

            var (kept, tooLarge) = ApprovalRules.KeptArguments(call.Arguments, call.Settings.IncludeArguments);
            var record = new ApprovalRecord
            {
                Id = ApprovalRules.NewId(),
                Fingerprint = fingerprint,
                Status = ApprovalStatuses.Pending,
                Grant = call.Grant,
                Server = call.Server,
                Tool = call.Tool,
                ArgumentKeys = call.ArgumentKeys,
                ArgumentsSha256 = call.ArgumentsSha256,
                Arguments = kept,
                ArgumentsTooLarge = tooLarge,
                Policy = call.Policy,
                PolicyVersion = call.PolicyVersion,
                Rule = call.Rule,
                CreatedAt = now,
                ExpiresAt = now + call.Settings.Timeout,
            };

            // Losing the race means another instance recorded it first: read theirs on the next pass.
            if (await store.CreatePendingAsync(record, now, cancellationToken).ConfigureAwait(false))
            {
                notifier.Notify(record, call.Settings.IncludeArguments ? call.Arguments : null);
                return new ApprovalCheck(ApprovalCheckKind.Created, record);
            }
        }

        throw new InvalidOperationException("the approval store kept changing under three attempts to read it");
    }

    public Task<bool> ConsumeAsync(ApprovalRecord record, CancellationToken cancellationToken) =>
        store.ConsumeAsync(record, time.GetUtcNow(), cancellationToken);
}

/// <summary>The call an approval is asked for.</summary>
internal sealed record ApprovalRequest(
    string Grant,
    string Server,
    string Tool,
    IReadOnlyList<string> ArgumentKeys,
    string ArgumentsSha256,
    JsonElement Arguments,
    string? Policy,
    string? PolicyVersion,
    string Rule,
    ApprovalSettings Settings);

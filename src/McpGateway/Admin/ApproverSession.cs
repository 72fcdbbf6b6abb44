using System.Collections.Immutable;

namespace McpGateway.Admin;

/// <summary>
/// What an approver page cookie carries: who signed in, the hash of the credential they used (so removing
/// or rotating that credential ends the session at once) and when the session ends.
/// </summary>
internal sealed record ApproverSession(string Admin, ImmutableArray<byte> TokenSha256, DateTimeOffset ExpiresAt);

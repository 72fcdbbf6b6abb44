using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpGateway.Approvals;

/// <summary>Rules shared by both stores and the gate.</summary>
internal static class ApprovalRules
{
    /// <summary>A record that still governs its call: not used, and not past its expiry.</summary>
    public static bool IsLive(ApprovalRecord record, DateTimeOffset now) =>
        record.State != ApprovalStatus.Consumed && !record.IsExpired(now);

    /// <summary>
    /// The identity of a call: grant, server, tool, canonical arguments and the policy version that asked
    /// for approval. Changing any of them (a new argument value, a new policy) needs a new approval.
    /// </summary>
    public static string Fingerprint(string grant, string server, string tool, string argumentsSha256, string? policyVersion)
    {
        var text = string.Join('\n', grant, server, tool, argumentsSha256, policyVersion ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The most argument text an approval record keeps for the approver page: a DynamoDB item holds at most
    /// 400 KB, and a page of pending approvals must stay small.
    /// </summary>
    public const int MaxKeptArgumentBytes = 16 * 1024;

    /// <summary>The argument values a record keeps for a rule that opted in, or why it keeps none.</summary>
    public static (JsonElement? Kept, bool? TooLarge) KeptArguments(JsonElement arguments, bool includeArguments)
    {
        if (!includeArguments || arguments.ValueKind == JsonValueKind.Undefined)
        {
            return (null, null);
        }

        // The parsed message is disposed when the request ends; the record outlives it, so keep a copy.
        return Encoding.UTF8.GetByteCount(arguments.GetRawText()) <= MaxKeptArgumentBytes ? (arguments.Clone(), null) : (null, true);
    }

    /// <summary>A new approval id: 96 random bits, short enough to read out and type.</summary>
    public static string NewId() => "apr_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    public static bool IsValidId(string id) =>
        id.Length is > 4 and < 64 && id.StartsWith("apr_", StringComparison.Ordinal) && id.AsSpan(4).IndexOfAnyExcept(IdChars) < 0;

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
}

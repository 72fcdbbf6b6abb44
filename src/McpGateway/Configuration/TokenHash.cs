using System.Security.Cryptography;
using System.Text;

namespace McpGateway.Configuration;

/// <summary>How configuration stores a grant or admin token: its SHA-256, never the token itself.</summary>
internal static class TokenHash
{
    /// <summary>The SHA-256 (lowercase hex) that configuration stores for <paramref name="token"/>.</summary>
    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

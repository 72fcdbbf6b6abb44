using System.Security.Cryptography;
using System.Text;
using McpGateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGateway.Endpoint;

/// <summary>Finds the grant a request's bearer token belongs to. Tokens are hashed, never stored or logged.</summary>
internal static class GrantAuthenticator
{
    /// <summary>Longer tokens cannot be ours (minted tokens are about 50 characters); refusing them bounds the hashing work.</summary>
    private const int MaxTokenLength = 512;

    public static GatewayError Authenticate(HttpRequest request, GatewaySnapshot snapshot, out GrantConfig? grant)
    {
        grant = null;
        var header = request.Headers[HeaderNames.Authorization];
        if (header.Count != 1 || header[0] is not { } value ||
            !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
            value.Length <= "Bearer ".Length)
        {
            return GatewayError.MissingToken;
        }

        var token = value.AsSpan("Bearer ".Length).Trim();
        if (token.IsEmpty || token.Length > MaxTokenLength)
        {
            return token.IsEmpty ? GatewayError.MissingToken : GatewayError.UnknownToken;
        }

        Span<byte> utf8 = stackalloc byte[MaxTokenLength * 3];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        CryptographicOperations.ZeroMemory(utf8[..length]);

        grant = snapshot.FindGrant(hash);
        return grant is null ? GatewayError.UnknownToken : GatewayError.None;
    }
}

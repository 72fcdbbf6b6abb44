using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using McpGateway.Sessions;

namespace McpGateway.Admin;

/// <summary>
/// Seals approver page sessions into their cookie (issue 22), the way <see cref="Sessions.SessionSealer"/>
/// seals MCP session ids: AES-GCM under a key derived with HKDF from <c>Gateway:SessionKey</c>, so every
/// instance behind one URL accepts the cookie and the gateway keeps no session store. Only this gateway's
/// key can mint a cookie; an altered or foreign one fails to open.
/// </summary>
/// <remarks>
/// Unlike MCP session ids, a cookie is minted once per sign-in and never needs to seal to the same value
/// twice, so the nonce is random: 96 random bits per sign-in keep GCM's nonce uniqueness far beyond any
/// number of sign-ins a gateway sees. The HKDF labels differ from the MCP session sealer's, so a sealed
/// MCP session id can never be presented as a cookie, nor the reverse.
/// </remarks>
internal sealed class ApproverSessionSealer
{
    private const string Prefix = "mga1.";
    private const int HashSize = 32;

    /// <summary>Admin names are at most 128 characters; this bounds the work for any cookie presented.</summary>
    private const int MaxSealedLength = 1024;

    private static readonly byte[] AssociatedData = "mcp-gateway approver session v1"u8.ToArray();

    private readonly byte[] _encryptionKey;
    private readonly byte[] _csrfKey;

    public ApproverSessionSealer(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length < 32)
        {
            throw new ArgumentException("the session key must be at least 32 bytes", nameof(masterKey));
        }

        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "mcp-gateway approver session aes"u8.ToArray());
        _csrfKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "mcp-gateway approver csrf"u8.ToArray());
    }

    public string Seal(ApproverSession session)
    {
        if (session.TokenSha256.Length != HashSize)
        {
            throw new ArgumentException("the credential hash must be 32 bytes", nameof(session));
        }

        // expires (8 bytes, Unix seconds) | credential SHA-256 (32) | admin name (UTF-8)
        var name = Encoding.UTF8.GetBytes(session.Admin);
        var plaintext = new byte[8 + HashSize + name.Length];
        BinaryPrimitives.WriteInt64BigEndian(plaintext, session.ExpiresAt.ToUnixTimeSeconds());
        session.TokenSha256.AsSpan().CopyTo(plaintext.AsSpan(8));
        name.CopyTo(plaintext.AsSpan(8 + HashSize));

        return SealedEnvelope.Seal(_encryptionKey, Prefix, RandomNumberGenerator.GetBytes(SealedEnvelope.NonceSize), plaintext, AssociatedData);
    }

    /// <summary>Opens a cookie value; null when this gateway did not mint it, it was altered, or it has expired.</summary>
    public ApproverSession? Open(string sealedValue, DateTimeOffset now)
    {
        if (SealedEnvelope.Open(_encryptionKey, Prefix, sealedValue, MaxSealedLength, 8 + HashSize + 1, AssociatedData) is not { } plaintext)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(plaintext));
        if (expiresAt <= now)
        {
            return null;
        }

        return new ApproverSession(
            Encoding.UTF8.GetString(plaintext.AsSpan(8 + HashSize)),
            ImmutableArray.Create(plaintext, 8, HashSize),
            expiresAt);
    }

    /// <summary>
    /// The CSRF token for one cookie: an HMAC of the sealed value, so it needs no storage either. The page
    /// reads it from a same-origin JSON answer and sends it in a header, which a cross-site page can neither
    /// read nor set without a CORS grant the gateway never gives.
    /// </summary>
    public string CsrfToken(string sealedValue) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_csrfKey, Encoding.UTF8.GetBytes(sealedValue)));

    public bool IsValidCsrfToken(string sealedValue, string? presented)
    {
        if (presented is not { Length: > 0 and < 128 })
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(CsrfToken(sealedValue));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(presented));
    }
}

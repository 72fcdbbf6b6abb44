using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace McpGateway.Sessions;

/// <summary>
/// Binds MCP session ids to grants without server-side storage (issue 3): the id the client sees is the
/// upstream's session id and the grant label, sealed with AES-GCM under a key from configuration. Only
/// this gateway can mint one, and a session presented with another grant's token fails to match.
/// </summary>
/// <remarks>
/// The nonce is derived from the plaintext with HMAC (a synthetic IV), so the same session always seals
/// to the same id. Upstreams such as server-everything repeat <c>Mcp-Session-Id</c> on every response;
/// a random nonce would hand the client a different id each time. Nonces can only repeat for identical
/// plaintexts, which then produce identical ciphertexts, so GCM's uniqueness requirement holds.
/// </remarks>
internal sealed class SessionSealer
{
    private const string Prefix = "mgs1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Upstream session ids are visible ASCII and short in practice; this bounds the work per request.</summary>
    private const int MaxSealedLength = 1024;

    private static readonly byte[] AssociatedData = "mcp-gateway session v1"u8.ToArray();

    private readonly byte[] _encryptionKey;
    private readonly byte[] _nonceKey;

    public SessionSealer(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length < 32)
        {
            throw new ArgumentException("the session key must be at least 32 bytes", nameof(masterKey));
        }

        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "mcp-gateway session aes"u8.ToArray());
        _nonceKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "mcp-gateway session nonce"u8.ToArray());
    }

    public string Seal(string grant, string upstreamSessionId)
    {
        var plaintext = Encoding.UTF8.GetBytes(grant + "\n" + upstreamSessionId);
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        HMACSHA256.HashData(_nonceKey, plaintext).AsSpan(0, NonceSize).CopyTo(nonce);

        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), AssociatedData);
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>Opens a sealed id; false when it was not minted by this gateway's key or was altered.</summary>
    public bool TryUnseal(string sealedId, out string grant, out string upstreamSessionId)
    {
        grant = "";
        upstreamSessionId = "";
        if (sealedId.Length > MaxSealedLength || !sealedId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(sealedId.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        if (sealedBytes.Length < NonceSize + TagSize + 2)
        {
            return false;
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_encryptionKey, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), plaintext, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(plaintext);
        var split = text.IndexOf('\n', StringComparison.Ordinal);
        if (split <= 0)
        {
            return false;
        }

        grant = text[..split];
        upstreamSessionId = text[(split + 1)..];
        return true;
    }
}

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
    private readonly int _maxSealedLength;

    private readonly byte[] _masterKey;
    private readonly string _prefix;
    private readonly byte[] _associatedData;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _nonceKey;

    /// <summary>Upstream session ids are visible ASCII and short in practice; the bound limits the work per request.</summary>
    public SessionSealer(ReadOnlySpan<byte> masterKey)
        : this(masterKey, "session", "mgs1.", 1024)
    {
    }

    /// <summary>
    /// A sealer for one purpose: its own HKDF labels and associated data, so an id sealed for one purpose (a
    /// session) never opens as another (a task, issue 16), and its own prefix.
    /// </summary>
    private SessionSealer(ReadOnlySpan<byte> masterKey, string purpose, string prefix, int maxSealedLength)
    {
        _maxSealedLength = maxSealedLength;
        if (masterKey.Length < 32)
        {
            throw new ArgumentException("the session key must be at least 32 bytes", nameof(masterKey));
        }

        _masterKey = masterKey.ToArray();
        _prefix = prefix;
        _associatedData = Encoding.UTF8.GetBytes($"mcp-gateway {purpose} v1");
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, 32, info: Encoding.UTF8.GetBytes($"mcp-gateway {purpose} aes"));
        _nonceKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, 32, info: Encoding.UTF8.GetBytes($"mcp-gateway {purpose} nonce"));
    }

    /// <summary>A sealer under the same key for another purpose and prefix (task ids: <c>"task"</c>, <c>"mgt1."</c>).</summary>
    public SessionSealer Derive(string purpose, string prefix, int maxSealedLength = 1024) => new(_masterKey, purpose, prefix, maxSealedLength);

    public string Seal(string grant, string upstreamSessionId)
    {
        var plaintext = Encoding.UTF8.GetBytes(grant + "\n" + upstreamSessionId);
        var nonce = HMACSHA256.HashData(_nonceKey, plaintext).AsSpan(0, SealedEnvelope.NonceSize);
        return SealedEnvelope.Seal(_encryptionKey, _prefix, nonce, plaintext, _associatedData);
    }

    /// <summary>Opens a sealed id; false when it was not minted by this gateway's key or was altered.</summary>
    public bool TryUnseal(string sealedId, out string grant, out string upstreamSessionId)
    {
        grant = "";
        upstreamSessionId = "";

        // At least a grant of one character and the separator; the split below refuses an id without a grant.
        if (SealedEnvelope.Open(_encryptionKey, _prefix, sealedId, _maxSealedLength, 2, _associatedData) is not { } plaintext)
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

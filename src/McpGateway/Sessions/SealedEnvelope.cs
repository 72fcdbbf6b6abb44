using System.Buffers.Text;
using System.Security.Cryptography;

namespace McpGateway.Sessions;

/// <summary>
/// The AES-GCM envelope every value the gateway seals shares (session ids, task ids, approver cookies): a prefix,
/// then base64url of nonce, ciphertext and tag, under a purpose's own key and associated data. The caller chooses
/// the nonce (a synthetic IV for a value that must seal to the same text twice, a random one for a value minted
/// once) and what the plaintext holds; opening checks the bounds before any decryption work.
/// </summary>
internal static class SealedEnvelope
{
    public const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Seal(byte[] key, string prefix, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        nonce.CopyTo(sealedBytes);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), associatedData);
        return prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>
    /// The plaintext of a value sealed under <paramref name="key"/>; null when it is longer than <paramref name="maxLength"/>,
    /// lacks the prefix, is not base64url, holds fewer than <paramref name="minPlaintext"/> bytes, or was altered.
    /// </summary>
    public static byte[]? Open(byte[] key, string prefix, string value, int maxLength, int minPlaintext, ReadOnlySpan<byte> associatedData)
    {
        if (value.Length > maxLength || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(value.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + minPlaintext + TagSize)
        {
            return null;
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return plaintext;
    }
}

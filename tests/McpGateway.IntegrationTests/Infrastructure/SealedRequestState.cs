using System.Security.Cryptography;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The opaque <c>requestState</c> of <see cref="ConformanceUpstream"/>'s input_required tools. SEP-2322 lets the
/// client hold the state between rounds but requires the server to detect tampering, so the state is its text plus
/// an HMAC-SHA256 under a key that lives only as long as the upstream.
/// </summary>
internal sealed class SealedRequestState
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Seal(string state)
    {
        var payload = Encoding.UTF8.GetBytes(state);
        return Convert.ToBase64String(payload) + "." + Convert.ToBase64String(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The state the upstream sealed, or null when <paramref name="sealedState"/> is absent, malformed or altered.</summary>
    public string? Open(string? sealedState)
    {
        var dot = sealedState?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot < 0)
        {
            return null;
        }

        try
        {
            var payload = Convert.FromBase64String(sealedState![..dot]);
            var mac = Convert.FromBase64String(sealedState[(dot + 1)..]);
            return CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)) ? Encoding.UTF8.GetString(payload) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

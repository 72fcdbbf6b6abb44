using System.Text;
using McpGateway.Aws;

namespace McpGateway.Cli.ParameterStore;

/// <summary>Writes one configuration entry, in the cheapest tier that holds it.</summary>
internal static class ParameterWriter
{
    /// <summary>Largest value of a Standard parameter: 4 KB (AWS Systems Manager quotas, "Parameter value size").</summary>
    public const int StandardMaxBytes = 4096;

    /// <summary>Largest value of an Advanced parameter: 8 KB. Nothing in Parameter Store holds more.</summary>
    public const int AdvancedMaxBytes = 8192;

    /// <summary>Standard when the value fits it (free), Advanced up to 8 KB (charged), null when nothing holds it.</summary>
    public static ParameterTier? TierFor(int utf8Bytes) => utf8Bytes switch
    {
        <= StandardMaxBytes => ParameterTier.Standard,
        <= AdvancedMaxBytes => ParameterTier.Advanced,
        _ => null,
    };

    /// <summary>
    /// Writes <paramref name="value"/> as a String or SecureString parameter. The caller has checked the size
    /// against <see cref="AdvancedMaxBytes"/>.
    /// </summary>
    public static async Task<SsmResult<StoredParameter>> PutAsync(
        ParameterStoreClient client, string name, string value, bool secure, bool overwrite, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        var tier = TierFor(bytes) ?? throw new ArgumentOutOfRangeException(nameof(value), bytes, "the value is larger than any parameter holds");
        var put = await client.PutParameterAsync(name, value, secure, tier == ParameterTier.Advanced, overwrite, cancellationToken).ConfigureAwait(false);
        if (!put.IsSuccess && tier == ParameterTier.Standard && put.Error == SsmError.Rejected && MentionsAdvancedTier(put.Message))
        {
            // SSM never moves an Advanced parameter back to Standard ("You can't downgrade a parameter from the
            // advanced-parameter tier to the standard-parameter tier"); the only way down is delete and
            // re-create, and between the two the gateway would drop the entry. A policy that shrank below 4 KB
            // therefore stays Advanced, and the output says so.
            var advanced = await client.PutParameterAsync(name, value, secure, advanced: true, overwrite, cancellationToken).ConfigureAwait(false);
            return advanced.IsSuccess
                ? SsmResult<StoredParameter>.Success(new StoredParameter(
                    name,
                    advanced.Value,
                    ParameterTier.Advanced,
                    bytes,
                    $"Standard would do, but Parameter Store refused it ({put.Message}); to return to Standard, delete the parameter and write it again"))
                : SsmResult<StoredParameter>.Failure(advanced.Error, advanced.Message!);
        }

        return put.IsSuccess
            ? SsmResult<StoredParameter>.Success(new StoredParameter(name, put.Value, tier, bytes, null))
            : SsmResult<StoredParameter>.Failure(put.Error, put.Message!);
    }

    private static bool MentionsAdvancedTier(string? message) =>
        message is not null && message.Contains("advanced-parameter tier", StringComparison.OrdinalIgnoreCase);
}

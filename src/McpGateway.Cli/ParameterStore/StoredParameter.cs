namespace McpGateway.Cli.ParameterStore;

/// <summary>What a write left in Parameter Store.</summary>
/// <param name="Name">The parameter's full name.</param>
/// <param name="Version">The version SSM gave this write.</param>
/// <param name="Tier">The tier it was stored in.</param>
/// <param name="Bytes">The value's size in UTF-8, the measure of the tier limits.</param>
/// <param name="TierNote">Why the tier differs from the one the size alone would pick, if it does.</param>
internal sealed record StoredParameter(string Name, long Version, ParameterTier Tier, int Bytes, string? TierNote)
{
    /// <summary>The tier, the size against its limit, and what it costs when that is not nothing.</summary>
    public string DescribeTier() => this switch
    {
        { TierNote: { } note } => $"{Tier} ({Bytes} bytes; {note})",
        { Tier: ParameterTier.Standard } => $"Standard ({Bytes} of {ParameterWriter.StandardMaxBytes} bytes)",
        _ => $"Advanced ({Bytes} of {ParameterWriter.AdvancedMaxBytes} bytes; over Standard's {ParameterWriter.StandardMaxBytes}, so charged per parameter and month)",
    };
}

namespace McpGateway.Cli.ParameterStore;

/// <summary>The Parameter Store tiers the CLI writes: the one a value's size needs, nothing more.</summary>
internal enum ParameterTier
{
    /// <summary>Values up to 4 KB, free.</summary>
    Standard,

    /// <summary>Values up to 8 KB, charged per parameter and month.</summary>
    Advanced,
}

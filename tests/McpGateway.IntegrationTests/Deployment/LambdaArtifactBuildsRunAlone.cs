namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// The Native AOT publishes occupy both cores for minutes; run alone, after the parallel tests, they neither
/// starve the timing-sensitive emulator tests of CPU nor get starved themselves.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LambdaArtifactBuildsRunAlone
{
    public const string Name = "Lambda artifact builds";
}

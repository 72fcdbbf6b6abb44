using McpGateway.Cli.ParameterStore;

namespace McpGateway.Tests.Cli.ParameterStore;

public sealed class ParameterWriterTests
{
    [Theory]
    [InlineData(1, nameof(ParameterTier.Standard))]
    [InlineData(4096, nameof(ParameterTier.Standard))]
    [InlineData(4097, nameof(ParameterTier.Advanced))]
    [InlineData(8192, nameof(ParameterTier.Advanced))]
    public void TierFor_Size_PicksTheCheapestTierThatHoldsIt(int bytes, string expected) =>
        Assert.Equal(expected, ParameterWriter.TierFor(bytes).ToString());

    [Fact]
    public void TierFor_OverEightKilobytes_IsNone() =>
        Assert.Null(ParameterWriter.TierFor(8193));
}

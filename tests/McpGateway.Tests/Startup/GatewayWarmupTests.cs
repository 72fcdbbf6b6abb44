using McpGateway.Startup;

namespace McpGateway.Tests.Startup;

/// <summary>
/// The start-up warm-up swallows its own failures in production (a gateway must not fail to start over
/// it), so this is where a broken step shows: every step has to succeed on its sample data.
/// </summary>
public sealed class GatewayWarmupTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task RunAsync_EitherStoreOnOrOff_EveryStepSucceedsOnItsSample(bool dynamoDb, bool parameterStore)
    {
        var error = await Record.ExceptionAsync(() => GatewayWarmup.RunAsync(dynamoDb, parameterStore));

        Assert.Null(error);
    }
}

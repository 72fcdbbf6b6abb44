namespace McpGateway.Testing;

/// <summary>
/// A clock the test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not on the registry
/// this project builds from). Only <see cref="GetUtcNow"/> is used by the code under test.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

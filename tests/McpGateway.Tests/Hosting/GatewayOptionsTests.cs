using McpGateway.Configuration;
using McpGateway.Hosting;
using McpGateway.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Hosting;

/// <summary>
/// The options as AddMcpGateway binds and validates them: by generated code since issue 8 (cold start), so
/// these pin that the generated binder reads every kind of setting and the generated validators still
/// refuse what the [Range] attributes refuse.
/// </summary>
public sealed class GatewayOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddMcpGateway(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Bind_EveryKindOfSetting_ReachesItsOptions()
    {
        using var services = Build(new()
        {
            ["Gateway:ConfigFile"] = "/etc/gateway.json",
            ["Gateway:AllowedOrigins:0"] = "https://a.example",
            ["Gateway:AllowedOrigins:1"] = "https://b.example",
            ["Gateway:MaxRequestBytes"] = "4096",
            ["Gateway:AllowGetStream"] = "false",
            ["Gateway:Counters:Table"] = "counters",
            ["Gateway:Counters:TimeoutMilliseconds"] = "250",
            ["Gateway:Ssm:RefreshSeconds"] = "45",
        });

        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        Assert.Equal("/etc/gateway.json", gateway.ConfigFile);
        Assert.Equal(["https://a.example", "https://b.example"], gateway.AllowedOrigins);
        Assert.Equal(4096, gateway.MaxRequestBytes);
        Assert.False(gateway.AllowGetStream);
        Assert.True(gateway.DecisionLogToStdout);
        var counters = services.GetRequiredService<IOptions<CounterStoreOptions>>().Value;
        Assert.Equal("counters", counters.Table);
        Assert.Equal(250, counters.TimeoutMilliseconds);
        Assert.Equal(45, services.GetRequiredService<IOptions<SsmSourceOptions>>().Value.RefreshSeconds);
    }

    [Theory]
    [InlineData("Gateway:MaxRequestBytes", "100", nameof(GatewayOptions.MaxRequestBytes))]
    [InlineData("Gateway:MaxResponseMessageBytes", "999999999999", nameof(GatewayOptions.MaxResponseMessageBytes))]
    public void Bind_GatewaySettingOutOfRange_Refused(string key, string value, string member)
    {
        using var services = Build(new() { [key] = value });

        var error = Record.Exception(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);

        // A value too large for an int fails binding; one in range of the type but not of [Range] fails validation.
        Assert.True(error is OptionsValidationException or InvalidOperationException, error?.GetType().Name);
        Assert.Contains(member, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_CounterStoreTimeoutBelowItsRange_Refused()
    {
        using var services = Build(new() { ["Gateway:Counters:TimeoutMilliseconds"] = "10" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CounterStoreOptions>>().Value);

        Assert.Contains(nameof(CounterStoreOptions.TimeoutMilliseconds), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ParameterStoreRefreshAboveItsRange_Refused()
    {
        using var services = Build(new() { ["Gateway:Ssm:RefreshSeconds"] = "7200" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SsmSourceOptions>>().Value);

        Assert.Contains(nameof(SsmSourceOptions.RefreshSeconds), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ShortSessionKey_Refused()
    {
        using var services = Build(new() { ["Gateway:SessionKey"] = Convert.ToBase64String(new byte[16]) });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);

        Assert.Contains("SessionKey", error.Message, StringComparison.Ordinal);
    }
}

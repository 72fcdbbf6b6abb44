using System.Security.Cryptography;
using McpGateway.Configuration;
using McpGateway.Enforcement;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.RateLimiting;
using McpGateway.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>Registers the gateway's services: one call, as YARP's <c>AddHttpForwarder</c> is one call.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddMcpGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.SessionKey is null || IsValidKey(o.SessionKey), "Gateway:SessionKey must be base64 of at least 32 bytes")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGatewayConfigProvider>(CreateConfigProvider);
        services.TryAddSingleton<ICounterStore>(sp => new InMemoryCounterStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDecisionLog>(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DecisionLogToStdout
            ? new StdoutDecisionLog()
            : new NullDecisionLog());
        services.TryAddSingleton(CreateSealer);
        services.TryAddSingleton<UpstreamClient>();
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<ToolCallHandler>();
        services.TryAddSingleton<McpEndpointHandler>();
        return services;
    }

    private static IGatewayConfigProvider CreateConfigProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (options.ConfigFile is { Length: > 0 } file)
        {
            return new FileConfigProvider(file, services.GetRequiredService<ILogger<FileConfigProvider>>());
        }

        throw new ConfigException("no configuration source: pass --config FILE (or set Gateway:ConfigFile)");
    }

    private static SessionSealer CreateSealer(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (options.SessionKey is { } key)
        {
            return new SessionSealer(Convert.FromBase64String(key));
        }

        GatewayLog.EphemeralSessionKey(services.GetRequiredService<ILogger<SessionSealer>>());
        return new SessionSealer(RandomNumberGenerator.GetBytes(32));
    }

    private static bool IsValidKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}

using System.Security.Cryptography;
using McpGateway.Admin;
using McpGateway.Approvals;
using McpGateway.Catalog;
using McpGateway.Configuration;
using McpGateway.Endpoint;
using McpGateway.Enforcement;
using McpGateway.Forwarding;
using McpGateway.Logging;
using McpGateway.Metrics;
using McpGateway.RateLimiting;
using McpGateway.Sessions;
using McpGateway.Tools;
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
            .Validate(o => o.SessionKey is null || IsValidKey(o.SessionKey), "Gateway:SessionKey must be base64 of at least 32 bytes")
            .ValidateOnStart();

        services.AddOptions<SsmSourceOptions>()
            .Bind(configuration.GetSection(SsmSourceOptions.SectionName))
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGatewayConfigProvider>(CreateConfigProvider);

        // A source that refreshes (Parameter Store) loads at start and then in the background.
        services.AddHostedService<ConfigSourceLifetime>();
        services.AddOptions<CounterStoreOptions>()
            .Bind(configuration.GetSection(CounterStoreOptions.SectionName))
            .ValidateOnStart();

        // Generated validators for the options' [Range] attributes (see OptionsValidators.cs).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SsmSourceOptions>, SsmSourceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CounterStoreOptions>, CounterStoreOptionsValidator>());
        // One DynamoDB client per process, shared by counters and approvals; resolved only when a table is set.
        services.TryAddSingleton<Amazon.DynamoDBv2.IAmazonDynamoDB>(sp => new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.DynamoDBv2.AmazonDynamoDBConfig
        {
            Timeout = TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<CounterStoreOptions>>().Value.TimeoutMilliseconds),
            MaxErrorRetry = 2,
        }));
        services.TryAddSingleton<ICounterStore>(CreateCounterStore);
        services.AddOptions<ApprovalOptions>().Bind(configuration.GetSection(ApprovalOptions.SectionName));
        services.TryAddSingleton<IApprovalStore>(CreateApprovalStore);
        services.TryAddSingleton<ApprovalNotifier>();
        services.TryAddSingleton<ApprovalGate>();
        services.TryAddSingleton<AdminEndpointHandler>();
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate<IOptions<GatewayOptions>>((m, g) => !m.Emf || g.Value.DecisionLogToStdout, "Gateway:Metrics:Emf writes metrics on the decision log, so it needs Gateway:DecisionLogToStdout=true")
            .ValidateOnStart();
        services.TryAddSingleton<GatewayMeter>();
        if (PrometheusEndpoint.IsEnabled(configuration))
        {
            PrometheusEndpoint.AddServices(services);
        }

        services.AddOptions<AdminPageOptions>().Bind(configuration.GetSection(AdminPageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminPageOptions>, AdminPageOptionsValidator>());
        services.TryAddSingleton(CreateApproverSealer);
        services.TryAddSingleton<ApproverPageSessions>();
        services.TryAddSingleton<IDecisionLog>(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DecisionLogToStdout
            ? new StdoutDecisionLog(sp.GetRequiredService<IOptions<MetricsOptions>>().Value is { Emf: true } metrics ? new EmfWriter(metrics.ToolDimension) : null)
            : new NullDecisionLog());
        services.TryAddSingleton<PolicyModeAudit>();
        services.TryAddSingleton(CreateSealer);
        services.TryAddSingleton(sp => new Aws.UpstreamCredentials(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<UpstreamClient>();
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<ToolDriftAudit>();
        services.TryAddSingleton<ToolCatalog>();
        services.TryAddSingleton<ToolPinCheck>();
        services.TryAddSingleton<ArgumentSchemaCache>();
        services.TryAddSingleton<ToolDefinitionCheck>();
        services.TryAddSingleton<ToolCallHandler>();
        services.TryAddSingleton<EntryRequestHandler>();
        services.TryAddSingleton<TaskIdBinding>();
        services.TryAddSingleton<RequestStateBinding>();
        services.TryAddSingleton<McpEndpointHandler>();
        return services;
    }

    private static IGatewayConfigProvider CreateConfigProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var ssm = services.GetRequiredService<IOptions<SsmSourceOptions>>();
        if (ssm.Value.Prefix is { Length: > 0 })
        {
            if (options.ConfigFile is { Length: > 0 })
            {
                throw new ConfigException("both a configuration file and a Parameter Store prefix are set: choose one");
            }

            return new SsmConfigProvider(Aws.ParameterStoreClient.FromEnvironment(), ssm, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<SsmConfigProvider>>());
        }

        if (options.ConfigFile is { Length: > 0 } file)
        {
            return new FileConfigProvider(file, services.GetRequiredService<ILogger<FileConfigProvider>>());
        }

        throw new ConfigException("no configuration source: pass --config FILE or --ssm-prefix PREFIX (Gateway:ConfigFile, Gateway:Ssm:Prefix)");
    }

    /// <summary>
    /// DynamoDB when <c>Gateway:Counters:Table</c> is set (endpoint, region and credentials from the standard
    /// AWS settings, so local emulators need no special code path); otherwise in memory.
    /// </summary>
    private static ICounterStore CreateCounterStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CounterStoreOptions>>();
        var time = services.GetRequiredService<TimeProvider>();
        if (options.Value.Table is not { Length: > 0 } table)
        {
            return new InMemoryCounterStore(time);
        }

        GatewayLog.UsingDynamoDbCounters(services.GetRequiredService<ILogger<DynamoDbCounterStore>>(), table);
        return new DynamoDbCounterStore(DynamoDbClient(services), options, time, services.GetRequiredService<ILogger<DynamoDbCounterStore>>());
    }

    /// <summary>Approvals live next to the counters: DynamoDB when a table is configured, memory otherwise.</summary>
    private static IApprovalStore CreateApprovalStore(IServiceProvider services)
    {
        var table = services.GetRequiredService<IOptions<CounterStoreOptions>>().Value.Table;
        return table is { Length: > 0 } ? new DynamoDbApprovalStore(DynamoDbClient(services), table) : new InMemoryApprovalStore();
    }

    /// <summary>Endpoint, region and credentials come from the standard AWS settings.</summary>
    private static Amazon.DynamoDBv2.IAmazonDynamoDB DynamoDbClient(IServiceProvider services) =>
        services.GetRequiredService<Amazon.DynamoDBv2.IAmazonDynamoDB>();

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

    /// <summary>Approver page cookies are sealed under the same configured key (HKDF keeps the uses apart).</summary>
    private static ApproverSessionSealer CreateApproverSealer(IServiceProvider services) =>
        services.GetRequiredService<IOptions<GatewayOptions>>().Value.SessionKey is { } key
            ? new ApproverSessionSealer(Convert.FromBase64String(key))
            : new ApproverSessionSealer(RandomNumberGenerator.GetBytes(32));

    private static bool IsValidKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}

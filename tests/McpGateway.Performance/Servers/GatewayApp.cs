using McpGateway.Hosting;
using McpGateway.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace McpGateway.Performance.Servers;

/// <summary>
/// Paths (c) and (d): the gateway as the host builds it (src/McpGateway.Host/Program.cs): a slim builder,
/// the host's logging, <c>AddMcpGateway</c> and <c>MapMcpGateway</c>, and the configuration file. Only the
/// counter store differs between the two; the DynamoDB client finds its endpoint, region and credentials
/// in the standard AWS environment variables, as it does on Lambda.
/// </summary>
internal static class GatewayApp
{
    /// <summary>A fixed session key, so the gateway does not log the ephemeral-key warning at start.</summary>
    private const string SessionKey = "bWNwLWdhdGV3YXktcGVyZi1zZXNzaW9uLWtleS0zMi1ieXRlcyE=";

    public static async Task<(KestrelApp App, ICounterStore Counters)> StartAsync(string configFile, string? counterTable, bool decisionLog)
    {
        var builder = KestrelApp.CreateBuilder(logAsGatewayHost: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ConfigFile"] = configFile,
            ["Gateway:SessionKey"] = SessionKey,
            ["Gateway:DecisionLogToStdout"] = decisionLog ? "true" : "false",
            ["Gateway:Counters:Table"] = counterTable,
        });
        builder.Services.AddMcpGateway(builder.Configuration);

        var web = builder.Build();
        web.MapMcpGateway();
        var app = await KestrelApp.StartAsync(web);
        return (app, web.Services.GetRequiredService<ICounterStore>());
    }
}

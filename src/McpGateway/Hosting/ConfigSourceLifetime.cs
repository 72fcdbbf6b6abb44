using McpGateway.Configuration;
using McpGateway.Logging;
using Microsoft.Extensions.Hosting;

namespace McpGateway.Hosting;

/// <summary>Starts and stops the configuration source when it has work of its own (Parameter Store refresh).</summary>
internal sealed class ConfigSourceLifetime(IGatewayConfigProvider provider, PolicyModeAudit modeAudit) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Every snapshot a refreshing source swaps in is audited for mode switches; a fixed file is audited once.
        if (provider is SsmConfigProvider ssm)
        {
            ssm.SnapshotChanged += modeAudit.Observe;
        }
        else
        {
            modeAudit.Observe(provider.Current);
        }

        return provider is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        provider is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}

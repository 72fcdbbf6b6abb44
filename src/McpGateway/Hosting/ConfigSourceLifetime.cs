using McpGateway.Configuration;
using Microsoft.Extensions.Hosting;

namespace McpGateway.Hosting;

/// <summary>Starts and stops the configuration source when it has work of its own (Parameter Store refresh).</summary>
internal sealed class ConfigSourceLifetime(IGatewayConfigProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        provider is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        provider is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}

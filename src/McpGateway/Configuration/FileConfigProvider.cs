using Microsoft.Extensions.Logging;

namespace McpGateway.Configuration;

/// <summary>
/// Configuration from one local file, loaded when the gateway starts (issue 3). A missing or
/// unreadable file is an error at start: running without the operator's configuration would either
/// deny everything or, worse, guess.
/// </summary>
internal sealed class FileConfigProvider : IGatewayConfigProvider
{
    public FileConfigProvider(string path, ILogger<FileConfigProvider> logger)
    {
        Current = ConfigFileLoader.Load(path, problem => GatewayLog.ConfigEntryRejected(logger, path, problem));
        GatewayLog.ConfigLoaded(logger, path, Current.Servers.Count, Current.Policies.Count, Current.Grants.Length);
    }

    public GatewaySnapshot Current { get; }
}

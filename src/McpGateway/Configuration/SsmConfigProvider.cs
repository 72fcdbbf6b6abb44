using Amazon.SimpleSystemsManagement.Model;
using McpGateway.Aws;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Configuration;

/// <summary>
/// Configuration from SSM Parameter Store (issue 5): each entry is its own parameter holding the JSON
/// the file source uses. Loaded at start and re-read every <see cref="SsmSourceOptions.RefreshSeconds"/>
/// in the background; requests only ever read the last snapshot, so they never wait on SSM.
/// </summary>
/// <remarks>
/// An entry that fails validation is rejected alone and the last good version of it stays in force
/// (a policy with no good version is kept as invalid, so its grants deny every call). A deleted
/// parameter is removed at the next refresh, which is how a grant is revoked. Until the first load
/// succeeds the snapshot is "not loaded" and every MCP request is refused (fail closed), while
/// <c>/healthz</c> keeps answering so the platform does not recycle the instance in a loop.
/// </remarks>
internal sealed class SsmConfigProvider : IGatewayConfigProvider, IHostedService, IDisposable
{
    private readonly ParameterStoreClient _client;
    private readonly SsmSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SsmConfigProvider> _logger;
    private readonly string _prefix;
    private readonly Dictionary<string, LoadedEntry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<(string Name, long Version)> _reported = [];
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile GatewaySnapshot _current;
    private Task? _loop;

    public SsmConfigProvider(ParameterStoreClient client, IOptions<SsmSourceOptions> options, TimeProvider time, ILogger<SsmConfigProvider> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _prefix = "/" + (options.Value.Prefix ?? throw new InvalidOperationException("Gateway:Ssm:Prefix is not set")).Trim('/');
        _current = GatewaySnapshot.NotLoaded($"no configuration has been loaded from Parameter Store prefix {_prefix} yet");
    }

    public GatewaySnapshot Current => _current;

    /// <summary>Raised after each successful read of the prefix, with the snapshot now in force (the mode audit of issue 17 listens).</summary>
    public event Action<GatewaySnapshot>? SnapshotChanged;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        startup.CancelAfter(TimeSpan.FromSeconds(_options.StartupTimeoutSeconds));
        try
        {
            await RefreshAsync(startup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            GatewayLog.SsmUnavailable(_logger, _prefix, "the first load did not finish in time; retrying in the background");
        }

        _loop = Task.Run(() => RefreshLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _refreshGate.Dispose();
        _client.Dispose();
    }

    /// <summary>Reads the whole prefix once and swaps in a new snapshot; returns false when SSM could not be read.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listing = await _client.GetParametersByPathAsync(_prefix, recursive: true, withDecryption: true, cancellationToken).ConfigureAwait(false);
            if (!listing.IsSuccess)
            {
                GatewayLog.SsmUnavailable(_logger, _prefix, listing.Message!);
                return false;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in listing.Value!)
            {
                seen.Add(parameter.Name);
                Apply(parameter);
            }

            foreach (var name in _entries.Keys.Where(n => !seen.Contains(n)).ToArray())
            {
                _entries.Remove(name);
                GatewayLog.SsmEntryRemoved(_logger, name);
            }

            _current = new GatewaySnapshot(
                _entries.Values.Select(e => e.Server).OfType<ServerConfig>(),
                _entries.Values.Select(e => e.Policy).OfType<PolicyEntry>(),
                _entries.Values.Select(e => e.Grant).OfType<GrantConfig>(),
                "ssm:" + _prefix,
                admins: _entries.Values.Select(e => e.Admin).OfType<AdminConfig>());
            SnapshotChanged?.Invoke(_current);
            return true;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private void Apply(Parameter parameter)
    {
        var version = parameter.Version ?? 0;
        if (_entries.TryGetValue(parameter.Name, out var known) && known.Version == version)
        {
            return;
        }

        if (!TryLocate(parameter.Name, out var kind, out var name))
        {
            Report(parameter, $"not a configuration entry: expected {_prefix}/servers/<name>, /policies/<name>, /grants/<label> or /admins/<name>");
            return;
        }

        var utf8 = System.Text.Encoding.UTF8.GetBytes(parameter.Value);
        try
        {
            LoadedEntry entry;
            switch (kind)
            {
                case ConfigEntryKind.Server:
                    entry = new LoadedEntry(version, Server: ConfigEntryParser.ParseServer(name, utf8));
                    break;
                case ConfigEntryKind.Grant:
                    entry = new LoadedEntry(version, Grant: ConfigEntryParser.ParseGrant(name, utf8));
                    break;
                case ConfigEntryKind.Admin:
                    entry = new LoadedEntry(version, Admin: ConfigEntryParser.ParseAdmin(name, utf8));
                    break;
                default:
                    var policy = ConfigEntryParser.ParsePolicy(name, utf8, Version(parameter));
                    if (policy.Compiled is null)
                    {
                        Report(parameter, string.Join("; ", policy.Problems));
                        if (known is not null)
                        {
                            return;
                        }
                    }

                    entry = new LoadedEntry(version, Policy: policy);
                    break;
            }

            _entries[parameter.Name] = entry;
            GatewayLog.SsmEntryLoaded(_logger, parameter.Name, version);
        }
        catch (ConfigException ex)
        {
            // The last good version, if there is one, stays in force.
            Report(parameter, ex.Message);
        }
    }

    private bool TryLocate(string parameterName, out ConfigEntryKind kind, out string name)
    {
        kind = default;
        name = "";
        if (!parameterName.StartsWith(_prefix + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = parameterName[(_prefix.Length + 1)..].Split('/');
        if (parts.Length != 2)
        {
            return false;
        }

        name = parts[1];
        if (ConfigEntryKinds.Sections.Parse(parts[0]) is not { } located)
        {
            return false;
        }

        kind = located;
        return true;
    }

    /// <summary>Logs a rejected entry once per version, so a broken parameter does not flood the log every refresh.</summary>
    private void Report(Parameter parameter, string problem)
    {
        if (_reported.Add((parameter.Name, parameter.Version ?? 0)))
        {
            GatewayLog.SsmEntryRejected(_logger, parameter.Name, parameter.Version ?? 0, problem);
        }
    }

    private static string Version(Parameter parameter) => parameter.Name + ":" + (parameter.Version ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Before the first successful load, retry sooner: every request is being refused meanwhile.
                var wait = _current.IsLoaded ? TimeSpan.FromSeconds(_options.RefreshSeconds) : TimeSpan.FromSeconds(Math.Min(_options.RefreshSeconds, 2));
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or HttpRequestException or InvalidOperationException or Amazon.Runtime.AmazonClientException)
            {
                GatewayLog.SsmUnavailable(_logger, _prefix, ex.GetType().Name);
            }
        }
    }

    private sealed record LoadedEntry(long Version, ServerConfig? Server = null, PolicyEntry? Policy = null, GrantConfig? Grant = null, AdminConfig? Admin = null);
}

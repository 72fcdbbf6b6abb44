using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using McpGateway.Configuration;
using McpGateway.Forwarding;
using McpGateway.Protocol;
using McpGateway.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Catalog;

/// <summary>
/// The gateway's own copy of each server's tool definitions (issue 15), for the calls that must be judged
/// against a definition: a pinned server's (is the tool still what the operator pinned?) and a rule's under
/// <c>validate_arguments</c> (which schema do the arguments have to meet?), and, while a policy hides a tool, any
/// permitted call (does the server list the tool at all?). The copy of a pinned server is refreshed
/// from every list the gateway relays (each listed tool is fingerprinted there anyway); every copy is read from the
/// server itself when it is older than
/// <see cref="GatewayOptions.ToolDefinitionsMaxAgeSeconds"/>, so an instance that has relayed no list yet
/// judges by the server's current tools too. One read at a time per server; the others wait for it.
/// </summary>
internal sealed class ToolCatalog(UpstreamClient upstream, ToolDriftAudit drift, TimeProvider time, IOptions<GatewayOptions> options, ILogger<ToolCatalog> logger)
{
    /// <summary>How long a failed read answers for the server before the next call reads again.</summary>
    private static readonly TimeSpan FailedReadHold = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _servers = new(StringComparer.Ordinal);

    /// <summary>
    /// The tool as <paramref name="server"/> currently lists it (null when it does not), reading the server's
    /// tools first when the copy is stale. Throws <see cref="ToolListException"/> when they cannot be read: a
    /// caller that needs the definition fails closed.
    /// </summary>
    public async ValueTask<KnownTool?> FindAsync(ServerConfig server, string tool, string actingFor, CancellationToken cancellationToken)
    {
        var entry = _servers.GetOrAdd(server.Name, static _ => new Entry());
        var snapshot = entry.Current;
        if (!IsFresh(snapshot, server))
        {
            await entry.Reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                snapshot = entry.Current;
                if (!IsFresh(snapshot, server))
                {
                    // The calls that waited for a read that just failed fail with it, rather than each reading again
                    // in turn: a silent server would otherwise hold the last of N calls for N of its timeouts.
                    if (entry.Failure is { } failed && failed.Url == server.Url && time.GetUtcNow() - failed.At < FailedReadHold)
                    {
                        throw new ToolListException(failed.Message);
                    }

                    try
                    {
                        snapshot = await ReadAsync(server, actingFor, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ToolListException ex)
                    {
                        entry.Failure = new Failure(server.Url, ex.Message, time.GetUtcNow());
                        throw;
                    }

                    entry.Failure = null;
                    entry.Current = snapshot;
                }
            }
            finally
            {
                entry.Reading.Release();
            }
        }

        return snapshot!.Tools.GetValueOrDefault(tool);
    }

    /// <summary>
    /// True when the copy the gateway already holds of <paramref name="server"/>'s tools lists <paramref name="tool"/>.
    /// Never reads the server: metrics use this to bound the <c>Tool</c> dimension (issue 18), and a metric must not
    /// cost an upstream read, so a server the gateway keeps no copy of lists nothing here.
    /// </summary>
    public bool Holds(ServerConfig server, string tool) =>
        _servers.TryGetValue(server.Name, out var entry) &&
        entry.Current is { } snapshot &&
        snapshot.Server.Url == server.Url &&
        snapshot.Tools.ContainsKey(tool);

    /// <summary>
    /// A tool in a list the gateway relays: its definition replaces the copy's. A page cannot say which tools are
    /// gone, so the copy keeps its age and is still read again in full when stale.
    /// </summary>
    public void Observe(ServerConfig server, string name, JsonElement tool, string fingerprint)
    {
        var entry = _servers.GetOrAdd(server.Name, static _ => new Entry());
        var known = Known(name, tool, fingerprint);
        while (true)
        {
            var current = entry.Current;
            if (current is not null && current.Tools.TryGetValue(name, out var had) && had.Fingerprint == fingerprint)
            {
                return;
            }

            var tools = current is null ? new Dictionary<string, KnownTool>(StringComparer.Ordinal) : new Dictionary<string, KnownTool>(current.Tools, StringComparer.Ordinal);
            tools[name] = known;
            var next = new Snapshot(current?.Server ?? server, tools.ToFrozenDictionary(StringComparer.Ordinal), current?.ReadAt ?? DateTimeOffset.MinValue);
            if (Interlocked.CompareExchange(ref entry.Current, next, current) == current)
            {
                return;
            }
        }
    }

    private bool IsFresh(Snapshot? snapshot, ServerConfig server) =>
        snapshot is not null &&
        snapshot.Server.Url == server.Url &&
        time.GetUtcNow() - snapshot.ReadAt < TimeSpan.FromSeconds(options.Value.ToolDefinitionsMaxAgeSeconds);

    private async Task<Snapshot> ReadAsync(ServerConfig server, string actingFor, CancellationToken cancellationToken)
    {
        UpstreamToolList list;
        try
        {
            list = await UpstreamToolLister.ListAsync(server, upstream.Invoker, actingFor, "mcp-gateway", server.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolListException ex)
        {
            CatalogLog.ToolsNotRead(logger, server.Name, ex.Message);
            throw;
        }

        var tools = new Dictionary<string, KnownTool>(StringComparer.Ordinal);
        foreach (var tool in list.Tools)
        {
            var name = tool.GetProperty("name"u8).GetString()!;
            var fingerprint = ToolFingerprint.Of(tool);
            tools[name] = Known(name, tool, fingerprint);
            if (server.ToolPins is { } pins && (!pins.TryGetValue(name, out var pinned) || pinned != fingerprint))
            {
                drift.Report(server.Name, name, pins.GetValueOrDefault(name), fingerprint);
            }
        }

        if (server.ToolPins is { } all)
        {
            foreach (var (name, pinned) in all)
            {
                if (!tools.ContainsKey(name))
                {
                    drift.Report(server.Name, name, pinned, null);
                }
            }
        }

        return new Snapshot(server, tools.ToFrozenDictionary(StringComparer.Ordinal), time.GetUtcNow());
    }

    private static KnownTool Known(string name, JsonElement tool, string fingerprint)
    {
        var schema = tool.TryGetProperty("inputSchema"u8, out var input) ? input.Clone() : default;
        return new KnownTool(name, fingerprint, schema, schema.ValueKind == JsonValueKind.Undefined ? "" : CanonicalJson.Sha256Hex(schema));
    }

    /// <summary>What the gateway knows of one server's tools, and when it last read them all.</summary>
    private sealed record Snapshot(ServerConfig Server, FrozenDictionary<string, KnownTool> Tools, DateTimeOffset ReadAt);

    /// <summary>A read that failed, shared with the calls that were waiting for it.</summary>
    private sealed record Failure(Uri Url, string Message, DateTimeOffset At);

    private sealed class Entry
    {
        public Snapshot? Current;

        public Failure? Failure;

        public SemaphoreSlim Reading { get; } = new(1, 1);
    }
}

using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real reference MCP server, <c>@modelcontextprotocol/server-everything</c>, in streamable-HTTP mode
/// on 127.0.0.1 and an ephemeral port (the preload forces loopback and announces the port).
/// </summary>
internal sealed partial class ServerEverything : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private ServerEverything(ManagedProcess process, int port)
    {
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port}/mcp");
    }

    public Uri Url { get; }

    public static async Task<ServerEverything> StartAsync()
    {
        var entry = Path.Combine(RepoPaths.NodeModules, "@modelcontextprotocol", "server-everything", "dist", "index.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"server-everything is not installed at {entry}: run `npm ci --prefix infra/node` (make test does)");
        }

        var process = new ManagedProcess(
            "node",
            ["-r", Path.Combine(RepoPaths.NodeDir, "preload.cjs"), entry, "streamableHttp"],
            new Dictionary<string, string?> { ["PORT"] = "0", ["MCP_LISTEN_HOST"] = "127.0.0.1", ["MCP_PRELOAD_ANNOUNCE"] = "1" });
        var match = await process.ReadyWhenLineAsync(Listening(), TimeSpan.FromSeconds(90));
        return new ServerEverything(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"^MCP_LISTENING 127\.0\.0\.1 (\d+)$")]
    private static partial Regex Listening();
}

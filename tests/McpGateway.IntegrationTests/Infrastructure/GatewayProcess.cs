using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway as it runs in production: the built host started as its own process with a
/// configuration file, on 127.0.0.1 and an ephemeral port. Its standard output is the decision log.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    /// <summary>A fixed session key so that several gateway processes accept each other's session ids.</summary>
    public const string SharedSessionKey = "bWNwLWdhdGV3YXktdGVzdC1zZXNzaW9uLWtleS0zMi1ieXRlcw==";

    private readonly ManagedProcess _process;
    private readonly string? _configPath;

    private GatewayProcess(ManagedProcess process, string? configPath, Uri baseUrl)
    {
        _process = process;
        _configPath = configPath;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Uri McpUrl(string server) => new(BaseUrl, "/mcp/" + server);

    public ManagedProcess Process => _process;

    public static async Task<GatewayProcess> StartAsync(JsonObject config, IDictionary<string, string?>? environment = null)
    {
        var configPath = Path.Combine(Path.GetTempPath(), "mcpgw-test-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        return await StartAsync(["--config", configPath], environment, configPath);
    }

    /// <summary>Starts the gateway on a configuration file a test keeps (and a CLI command may have edited); it is not deleted.</summary>
    public static Task<GatewayProcess> StartWithFileAsync(string path, IDictionary<string, string?>? environment = null) =>
        StartAsync(["--config", path], environment, null);

    /// <summary>Starts the gateway with configuration from Parameter Store under <paramref name="prefix"/>.</summary>
    public static Task<GatewayProcess> StartWithSsmAsync(string prefix, IDictionary<string, string?> environment) =>
        StartAsync(["--ssm-prefix", prefix], environment, null);

    private static async Task<GatewayProcess> StartAsync(string[] source, IDictionary<string, string?>? environment, string? configPath)
    {
        var env = new Dictionary<string, string?>
        {
            ["Gateway__SessionKey"] = SharedSessionKey,
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var process = new ManagedProcess("dotnet", [RepoPaths.GatewayDll, .. source, "--urls", "http://127.0.0.1:0"], env);
        var match = await process.ReadyWhenLineAsync(Listening(), TimeSpan.FromSeconds(90));
        return new GatewayProcess(process, configPath, new Uri(match.Groups[1].Value));
    }

    /// <summary>Decision log lines written so far.</summary>
    public IReadOnlyList<JsonElement> Decisions() =>
        [.. _process.StandardOutput.Where(l => l.StartsWith("{\"type\":\"decision\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>Every line the gateway wrote so far, standard output and error, its operational log included.</summary>
    public IReadOnlyList<string> OutputLines() => [.. _process.StandardOutput, .. _process.StandardError];

    /// <summary>Waits until the decision log has at least <paramref name="count"/> lines.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForDecisionsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var decisions = Decisions();
            if (decisions.Count >= count)
            {
                return decisions;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"expected {count} decision log lines, got {Decisions().Count}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (_configPath is not null)
        {
            File.Delete(_configPath);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

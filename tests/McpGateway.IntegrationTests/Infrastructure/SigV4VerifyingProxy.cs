using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// <c>sigv4_verifying_proxy.py</c> on 127.0.0.1 in front of an upstream: it recomputes every request's SigV4
/// signature with botocore and forwards only those that verify, refusing the rest with 403 as an AWS
/// service does. Its verdicts (one JSON line per request) are read back here.
/// </summary>
internal sealed partial class SigV4VerifyingProxy : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private SigV4VerifyingProxy(ManagedProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The proxy's address, with the upstream's path.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts the proxy for <paramref name="upstream"/>, verifying signatures for <paramref name="service"/> in
    /// <paramref name="region"/> made with one of <paramref name="keys"/> (access key to secret) or, when
    /// <paramref name="moto"/> is set, with a temporary key that moto_server's STS issued.
    /// </summary>
    public static async Task<SigV4VerifyingProxy> StartAsync(Uri upstream, string service, string region, IReadOnlyDictionary<string, string> keys, Uri? moto = null)
    {
        List<string> arguments = ["-u", Path.Combine(RepoPaths.Root, "tests", "McpGateway.IntegrationTests", "Infrastructure", "sigv4_verifying_proxy.py"),
            "--upstream", upstream.ToString(), "--service", service, "--region", region];
        foreach (var (key, secret) in keys)
        {
            arguments.AddRange(["--key", key + "=" + secret]);
        }

        if (moto is not null)
        {
            arguments.AddRange(["--moto", moto.ToString()]);
        }

        var process = new ManagedProcess("python3", arguments);
        var match = await process.ReadyWhenLineAsync(Listening(), TimeSpan.FromSeconds(30));
        return new SigV4VerifyingProxy(process, new Uri($"http://127.0.0.1:{match.Groups[1].Value}{upstream.AbsolutePath}"));
    }

    /// <summary>Every verdict so far, in order.</summary>
    public IReadOnlyList<JsonElement> Verdicts() =>
        [.. _process.StandardOutput.Where(l => l.StartsWith("{\"method\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>
    /// Waits until at least <paramref name="count"/> verdicts were read: a verdict is written before the request
    /// is forwarded, but its line reaches this process asynchronously.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForVerdictsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Verdicts() is var verdicts && verdicts.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} verdicts, got {verdicts.Count}");
            }

            await Task.Delay(20);
        }

        return Verdicts();
    }

    public IReadOnlyList<JsonElement> Verified() => [.. Verdicts().Where(v => v.GetProperty("verdict").GetString() == "verified")];

    public IReadOnlyList<JsonElement> Refused() => [.. Verdicts().Where(v => v.GetProperty("verdict").GetString() == "refused")];

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex("""^\{"listening": (\d+)\}$""")]
    private static partial Regex Listening();
}

using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using McpGateway.Configuration;

namespace McpGateway.Benchmarks.Configuration;

/// <summary>
/// Finding the grant a presented token belongs to, as every request does (after hashing the token), with the
/// issue-8 benchmark's 22 grants and with 1,000; the token is the last grant's, or nobody's.
/// </summary>
[MemoryDiagnoser]
public class GrantLookupBenchmarks
{
    private GatewaySnapshot _snapshot = null!;
    private byte[] _known = [];
    private byte[] _unknown = [];

    [Params(22, 1_000)]
    public int Grants { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var server = new ServerConfig("notes", new Uri("http://127.0.0.1:9/mcp"), FrozenDictionary<string, string>.Empty, TimeSpan.FromSeconds(30));
        var grants = Enumerable.Range(0, Grants)
            .Select(i => new GrantConfig($"agent-{i}", [.. SHA256.HashData(Encoding.UTF8.GetBytes($"token-{i}"))], "notes", "policy"))
            .ToArray();
        _snapshot = new GatewaySnapshot([server], [], grants, "benchmark");
        _known = SHA256.HashData(Encoding.UTF8.GetBytes($"token-{Grants - 1}"));
        _unknown = SHA256.HashData("nobody's token"u8);
    }

    [Benchmark]
    public bool Known() => _snapshot.FindGrant(_known) is not null;

    [Benchmark]
    public bool Unknown() => _snapshot.FindGrant(_unknown) is not null;
}

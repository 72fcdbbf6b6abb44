using System.Text;
using BenchmarkDotNet.Attributes;
using McpGateway.Policy;

namespace McpGateway.Benchmarks.Policy;

/// <summary>
/// Loading a policy: <see cref="PolicyParser.Parse(ReadOnlySpan{byte})"/> and
/// <see cref="CompiledPolicy.Compile"/> of the 100-tool <see cref="BenchmarkPolicy"/>, once per operation.
/// This is paid when a policy is loaded or refreshed, not per call.
/// </summary>
[MemoryDiagnoser]
public class PolicyParseBenchmarks
{
    private byte[] _document = null!;

    [GlobalSetup]
    public void Setup() => _document = Encoding.UTF8.GetBytes(BenchmarkPolicy.Generate());

    [Benchmark]
    public object ParseAndCompile()
    {
        var result = PolicyParser.Parse(_document);
        return result.IsValid ? CompiledPolicy.Compile(result.Document) : throw new InvalidOperationException("benchmark policy is invalid");
    }
}

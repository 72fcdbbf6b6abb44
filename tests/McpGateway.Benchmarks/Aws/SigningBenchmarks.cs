using System.Text;
using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using McpGateway.Aws;
using McpGateway.Forwarding;
using McpGateway.Buffers;

namespace McpGateway.Benchmarks.Aws;

/// <summary>
/// What SigV4 adds to one forwarded tools/call (issue 13): the upstream request as the forwarder builds it,
/// unsigned (the baseline) and signed by <see cref="UpstreamSigningHandler"/> with static credentials, for a
/// small body and one carrying 16 KB of arguments.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private static readonly Uri Url = new("https://ecs-mcp.us-west-2.api.aws/mcp");
    private static readonly SigV4UpstreamAuth Auth = new("ecs-mcp", "us-west-2", null);
    private readonly AWSCredentials _credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private byte[] _body = [];

    [Params(256, 16 * 1024)]
    public int ArgumentBytes { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"build_and_push_image_to_ecr","arguments":{"context":" """.TrimEnd() + new string('x', ArgumentBytes) + "\"}}}");

    [Benchmark(Baseline = true)]
    public long BuildUnsigned()
    {
        using var request = Build();
        return request.Content!.Headers.ContentLength ?? 0;
    }

    [Benchmark]
    public async Task<long> BuildAndSign()
    {
        using var request = Build();
        await UpstreamSigningHandler.SignAsync(request, _credentials, null, CancellationToken.None).ConfigureAwait(false);
        return request.Content!.Headers.ContentLength ?? 0;
    }

    private SigV4Request Build()
    {
        // The forwarder's own content: the re-serialised message in a pooled buffer.
        var buffer = new PooledBufferWriter(_body.Length);
        _body.CopyTo(buffer.GetSpan(_body.Length));
        buffer.Advance(_body.Length);
        var request = new SigV4Request(HttpMethod.Post, Url, Auth, "ecs", "agent") { Content = new PooledJsonContent(buffer) };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-11-25");
        request.Headers.TryAddWithoutValidation("Mcp-Session-Id", "8c1f1c1e-5d1c-4b5e-9b0e-2f9d7c6a1b2c");
        return request;
    }
}

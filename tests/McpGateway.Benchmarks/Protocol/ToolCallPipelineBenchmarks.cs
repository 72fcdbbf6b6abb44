using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpGateway.Buffers;
using McpGateway.Protocol;

namespace McpGateway.Benchmarks.Protocol;

/// <summary>
/// The gateway's own passes over one tools/call body, each alone, at the two argument sizes of issue 8
/// (about 200 B and 16 KB of prose): strict parsing, re-serialisation for the upstream, and the canonical
/// arguments hash of the decision log. What the load harness reports as "added CPU per call" for a medium
/// call, broken down.
/// </summary>
[MemoryDiagnoser]
public class ToolCallPipelineBenchmarks
{
    private byte[] _body = [];
    private JsonRpcMessage _message = null!;

    [Params(120, 16_320)]
    public int ContentChars { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var arguments = NoteArguments.Json(ContentChars);
        _body = Encoding.UTF8.GetBytes(
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"write_note","arguments":""" + arguments +
            ""","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""");
        if (JsonRpcParser.TryParse(_body, out var message, out var detail) != GatewayError.None)
        {
            throw new InvalidOperationException(detail);
        }

        _message = message!;
    }

    [GlobalCleanup]
    public void Cleanup() => _message.Dispose();

    [Benchmark]
    public void Parse()
    {
        JsonRpcParser.TryParse(_body, out var message, out _);
        message!.Dispose();
    }

    [Benchmark]
    public int Reserialize()
    {
        using var buffer = new PooledBufferWriter();
        var writer = JsonWriterCache.Rent(buffer);
        try
        {
            _message.WriteTo(writer);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }

        return buffer.WrittenCount;
    }

    [Benchmark]
    public string CanonicalHash() => CanonicalJson.Sha256Hex(_message.Arguments);

    [Benchmark]
    public byte[] CopyBody() => _body.AsSpan().ToArray();
}

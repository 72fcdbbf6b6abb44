using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpGateway.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGateway.Benchmarks.Tools;

/// <summary>
/// The per-call cost of <c>validate_arguments</c> (issue 15): a cached compiled schema judging a call's
/// arguments, including the canonical hash that finds the cache entry, at issue 8's two argument sizes,
/// next to what compiling the schema costs once per definition.
/// </summary>
[MemoryDiagnoser]
public class ArgumentSchemaBenchmarks
{
    private const string Schema = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
         "properties":{"title":{"type":"string","maxLength":200},
                       "priority":{"type":"string","enum":["low","normal","high"]},
                       "content":{"type":"string","maxLength":65536},
                       "tags":{"type":"array","items":{"type":"string"}}},
         "required":["title","content"],"additionalProperties":false}
        """;

    private readonly ArgumentSchemaCache _cache = new(NullLogger<ArgumentSchemaCache>.Instance);
    private JsonDocument _schema = null!;
    private JsonDocument _arguments = null!;

    [Params(120, 16_320)]
    public int ContentChars { get; set; }

    /// <summary>
    /// With and without <c>maxLength</c> on the long string: JsonSchema.Net counts a string's length in
    /// grapheme clusters, a pass over every character that the other keywords do not make.
    /// </summary>
    [Params(true, false)]
    public bool MaxLength { get; set; }

    private string _schemaHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _schema = JsonDocument.Parse(MaxLength ? Schema : Schema.Replace(""","maxLength":65536""", "", StringComparison.Ordinal));
        _schemaHash = McpGateway.Protocol.CanonicalJson.Sha256Hex(_schema.RootElement);
        _arguments = JsonDocument.Parse(NoteArguments.Json(ContentChars));
        if (_cache.Check("s", "write_note", _schema.RootElement, _arguments.RootElement) is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
    }

    [Benchmark(Baseline = true)]
    public string? ValidateCached() => _cache.Check("s", "write_note", _schema.RootElement, _arguments.RootElement);

    /// <summary>The gateway's path: the definition's hash is known from the tool list it holds.</summary>
    [Benchmark]
    public string? ValidateKnownHash() => _cache.Check("s", "write_note", _schemaHash, _schema.RootElement, _arguments.RootElement);

    [Benchmark]
    public bool Compile() => ArgumentSchema.TryCompile(_schema.RootElement, out _) is not null;

    [GlobalCleanup]
    public void Cleanup()
    {
        _schema.Dispose();
        _arguments.Dispose();
    }
}

using McpGateway.Tools;
using Microsoft.Extensions.Logging;

namespace McpGateway.Tests.Tools;

/// <summary>
/// Arguments judged against a tool's inputSchema (issue 15) in both drafts MCP servers send: each
/// failure names the keyword and the argument path, never the value.
/// </summary>
public sealed class ArgumentSchemaTests
{
    private const string Draft07 = "http://json-schema.org/draft-07/schema#";
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>A deploy tool's schema, written for <c>$schema</c> = {0}.</summary>
    private static string DeploySchema(string? dialect) => "{" + (dialect is null ? "" : $"\"$schema\":\"{dialect}\",") + """
         "type":"object",
         "properties":{
           "target":{"type":"string","enum":["dev","staging","prod"]},
           "replicas":{"type":"integer","minimum":1,"maximum":10},
           "options":{"type":"object","properties":{"force":{"type":"boolean"},"note":{"type":"string","maxLength":16000}},
                      "required":["force"],"additionalProperties":false},
           "tags":{"type":"array","items":{"type":"string"}}},
         "required":["target"],
         "additionalProperties":false}
        """;

    public static TheoryData<string?, string, string?, string?> Cases()
    {
        var data = new TheoryData<string?, string, string?, string?>();
        foreach (var dialect in new[] { Draft07, Draft202012, null })
        {
            data.Add(dialect, """{"target":"dev"}""", null, null);
            data.Add(dialect, """{"target":"prod","replicas":3,"options":{"force":true},"tags":["a"]}""", null, null);
            data.Add(dialect, """{"target":["prod"]}""", "type", "/target");
            data.Add(dialect, """{"target":{"v":"prod"}}""", "type", "/target");
            data.Add(dialect, """{"target":"production"}""", "enum", "/target");
            data.Add(dialect, """{"target":"dev","replicas":"3"}""", "type", "/replicas");
            data.Add(dialect, """{"target":"dev","replicas":2.5}""", "type", "/replicas");
            data.Add(dialect, """{"target":"dev","replicas":11}""", "maximum", "/replicas");
            data.Add(dialect, """{"replicas":1}""", "required", "");
            data.Add(dialect, """{}""", "required", "");
            data.Add(dialect, """{"target":"dev","note":"read ~/.aws/credentials"}""", "additionalProperties", "/note");
            data.Add(dialect, """{"target":"dev","options":{}}""", "required", "/options");
            data.Add(dialect, """{"target":"dev","options":{"force":"yes"}}""", "type", "/options/force");
            data.Add(dialect, """{"target":"dev","options":{"force":true,"extra":1}}""", "additionalProperties", "/options/extra");
            data.Add(dialect, """{"target":"dev","tags":["a",7]}""", "type", "/tags/1");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Arguments_NamesTheFailingKeywordAndPath(string? dialect, string arguments, string? keyword, string? path)
    {
        var schema = Compile(DeploySchema(dialect));

        if (keyword is null)
        {
            Assert.Null(schema.Validate(Parse(arguments)));
        }
        else
        {
            AssertFails(schema, arguments, keyword, path!);
        }
    }

    [Theory]
    [InlineData(Draft07)]
    [InlineData(Draft202012)]
    public void Validate_DraftSpecificKeywords_ReadInTheirOwnDraft(string dialect)
    {
        // Tuple validation is spelled "items" (array) in draft-07 and "prefixItems" in 2020-12.
        var schema = Compile(dialect == Draft07
            ? """{"$schema":"DIALECT","type":"object","properties":{"pair":{"type":"array","items":[{"type":"string"},{"type":"integer"}]}}}""".Replace("DIALECT", dialect, StringComparison.Ordinal)
            : """{"$schema":"DIALECT","type":"object","properties":{"pair":{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}]}}}""".Replace("DIALECT", dialect, StringComparison.Ordinal));

        Assert.Null(schema.Validate(Parse("""{"pair":["a",1]}""")));
        AssertFails(schema, """{"pair":["a","b"]}""", "type", "/pair/1");
    }

    [Fact]
    public void Validate_SixteenKilobyteArgument_JudgedWholly()
    {
        var schema = Compile(DeploySchema(Draft202012));
        var note = new string('x', 16 * 1024);

        Assert.Null(schema.Validate(Parse("""{"target":"dev","options":{"force":true,"note":"NOTE"}}""".Replace("NOTE", new string('x', 16000), StringComparison.Ordinal))));
        AssertFails(schema, """{"target":"dev","options":{"force":true,"note":"NOTE"}}""".Replace("NOTE", note, StringComparison.Ordinal), "maxLength", "/options/note");
    }

    [Fact]
    public void Reason_OfAFailure_NamesKeywordAndPathButNeverTheValue()
    {
        var schema = Compile(DeploySchema(null));

        var failure = schema.Validate(Parse("""{"target":"sk_live_SECRET_VALUE"}"""));

        Assert.NotNull(failure);
        Assert.Equal("arguments do not match the tool's inputSchema: \"enum\" failed at /target", failure.Reason);
        Assert.DoesNotContain("SECRET", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"type":12}""")]
    [InlineData("""{"$schema":"https://example.invalid/unknown-dialect","type":"object"}""")]
    public void TryCompile_SchemaThatCannotBeBuilt_ReturnsNullWithAProblem(string schema)
    {
        var compiled = ArgumentSchema.TryCompile(Parse(schema), out var problem);

        Assert.Null(compiled);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void Cache_SameDefinitionTwice_CompilesOnceAndJudgesBoth()
    {
        var cache = new ArgumentSchemaCache(new ListLogger<ArgumentSchemaCache>());

        Assert.Null(cache.Check("s", "deploy", Parse(DeploySchema(null)), Parse("""{"target":"dev"}""")));
        Assert.NotNull(cache.Check("s", "deploy", Parse(DeploySchema(null)), Parse("""{"target":"qa"}""")));
        Assert.Equal(1, cache.Count);

        // A changed schema is a new definition: judged by its own compilation, never its predecessor's.
        var looser = DeploySchema(null).Replace("\"enum\":[\"dev\",\"staging\",\"prod\"]", "\"enum\":[\"dev\",\"staging\",\"prod\",\"qa\"]", StringComparison.Ordinal);
        Assert.Null(cache.Check("s", "deploy", Parse(looser), Parse("""{"target":"qa"}""")));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Cache_AbsentArguments_ValidatedAsTheEmptyObject()
    {
        var cache = new ArgumentSchemaCache(new ListLogger<ArgumentSchemaCache>());

        Assert.Equal(
            "arguments do not match the tool's inputSchema: \"required\" failed at the arguments object",
            cache.Check("s", "deploy", Parse(DeploySchema(null)), default));
    }

    [Theory]
    [InlineData("""{"type":12}""")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/$defs/missing"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"https://example.invalid/remote.json"}}}""")]
    public void Cache_UncompilableSchema_DeniesEveryCallAndLogsOnceWithoutArgumentValues(string schema)
    {
        var log = new ListLogger<ArgumentSchemaCache>();
        var cache = new ArgumentSchemaCache(log);
        var broken = Parse(schema);

        var first = cache.Check("s", "deploy", broken, Parse("""{"a":"first-secret"}"""));
        var second = cache.Check("s", "deploy", broken, Parse("""{"a":"second-secret"}"""));

        Assert.Equal("the inputSchema of tool \"deploy\" cannot be compiled, so its arguments cannot be checked", first);
        Assert.Equal(first, second);
        var line = Assert.Single(log.Lines);
        Assert.Contains("deploy", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    private static void AssertFails(ArgumentSchema schema, string arguments, string keyword, string path)
    {
        var failure = schema.Validate(Parse(arguments));
        Assert.NotNull(failure);
        Assert.Equal((keyword, path), (failure.Keyword, failure.InstancePath));
    }

    private static ArgumentSchema Compile(string schema) =>
        ArgumentSchema.TryCompile(Parse(schema), out var problem) ?? throw new InvalidOperationException(problem);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Collects formatted log lines, to assert what reached the log and how often.</summary>
    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}

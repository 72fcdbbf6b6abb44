using McpGateway.Hosting;
using McpGateway.Logging;
using McpGateway.Metrics;
using McpGateway.Buffers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Metrics;

public sealed class EmfWriterTests
{
    private static readonly DecisionLogEntry Entry = new()
    {
        Time = DateTimeOffset.FromUnixTimeMilliseconds(1_795_215_689_420),
        Grant = "agent",
        Server = "everything",
        Tool = "echo",
        Decision = "allow",
        Rule = "tools.echo",
        Outcome = "upstream_failed",
        ArgumentKeys = ["message"],
        ArgumentsSha256 = "00",
        LatencyMs = 12.5,
        UpstreamLatencyMs = 0.001,
        StoreError = "deadline exceeded",
        MetricTool = "echo",
    };

    [Fact]
    public void FormatWithMetrics_OneLineOneObject_KeepsTheDecisionFieldsAndAddsTheValues()
    {
        using var line = new PooledBufferWriter(16);
        StdoutDecisionLog.FormatWithMetrics(line, Entry, new EmfWriter(toolDimension: true));
        var text = System.Text.Encoding.UTF8.GetString(line.WrittenSpan);

        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("decision", root.GetProperty("type").GetString());
        Assert.Equal("deadline exceeded", root.GetProperty("store_error").GetString());
        Assert.False(root.TryGetProperty("MetricTool", out _));
        Assert.Equal(1_795_215_689_420, root.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal("echo", root.GetProperty("Tool").GetString());
        Assert.Equal(1, root.GetProperty("Allowed").GetInt32());
        Assert.Equal(1, root.GetProperty("UpstreamErrors").GetInt32());
        Assert.Equal(1, root.GetProperty("StoreErrors").GetInt32());
        Assert.Equal(0, root.GetProperty("ShadowDenied").GetInt32());
        Assert.Equal(12.5, root.GetProperty("Latency").GetDouble());
        Assert.Equal(0.001, root.GetProperty("UpstreamLatency").GetDouble());
    }

    [Fact]
    public void FormatWithMetrics_LineWithShadowVerdict_CountsShadowDenied()
    {
        using var line = new PooledBufferWriter();
        var shadowed = Entry with { Outcome = "forwarded", Shadow = new ShadowLogEntry("deny", "tools.echo", "would be denied") };
        StdoutDecisionLog.FormatWithMetrics(line, shadowed, new EmfWriter(toolDimension: false));

        using var json = JsonDocument.Parse(line.WrittenMemory);
        Assert.Equal(1, json.RootElement.GetProperty("ShadowDenied").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("Allowed").GetInt32());
        var declared = json.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString());
        Assert.Contains("ShadowDenied", declared);
    }

    [Fact]
    public void FormatWithMetrics_UnsafeDimensionValue_WrittenAsOther()
    {
        using var line = new PooledBufferWriter();
        StdoutDecisionLog.FormatWithMetrics(line, Entry with { MetricTool = "a\"b\u00e9" }, new EmfWriter(toolDimension: true));

        using var json = JsonDocument.Parse(line.WrittenMemory);
        Assert.Equal(EmfWriter.OtherTool, json.RootElement.GetProperty("Tool").GetString());
    }

    [Theory]
    [InlineData("echo", false, "echo")]
    [InlineData("made_up", false, EmfWriter.OtherTool)]
    [InlineData("made_up", true, "made_up")]
    [InlineData("delete_x", false, EmfWriter.OtherTool)]
    [InlineData("delete_x", true, "delete_x")]
    [InlineData("a b", true, EmfWriter.OtherTool)]
    [InlineData("hidden_one", false, "hidden_one")]
    public void ToolValue_BoundedByPolicyOrListing(string tool, bool listed, string expected)
    {
        var parsed = PolicyParser.Parse("""{"version":"1","default":"deny","hide":["hidden_one"],"tools":{"echo":{},"delete_*":{"action":"deny"}}}""");
        var policy = CompiledPolicy.Compile(parsed.Document!);

        Assert.Equal(expected, EmfWriter.ToolValue(tool, policy, listed));
    }

    [Fact]
    public void Options_EmfWithoutStdoutDecisionLog_FailsWithReason()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Metrics:Emf"] = "true",
            ["Gateway:DecisionLogToStdout"] = "false",
        }).Build();
        using var services = new ServiceCollection().AddMcpGateway(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MetricsOptions>>().Value);
        Assert.Contains("Gateway:Metrics:Emf writes metrics on the decision log, so it needs Gateway:DecisionLogToStdout=true", error.Message, StringComparison.Ordinal);
    }
}

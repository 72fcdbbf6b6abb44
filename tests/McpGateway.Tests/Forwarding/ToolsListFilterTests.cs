using System.Buffers;
using McpGateway.Forwarding;

namespace McpGateway.Tests.Forwarding;

public sealed class ToolsListFilterTests
{
    private static readonly CompiledPolicy Policy = CompiledPolicy.Compile(PolicyParser.Parse(
        """{"version":"1","default":"deny","tools":{"echo":{}}}""").Document!);

    [Fact]
    public void Write_PublicUpstreamList_MarkedPrivateWithTtlKept()
    {
        var filtered = Filter("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"echo"},{"name":"secret"}],"cacheScope":"public","ttlMs":60000,"nextCursor":"c2"}}""");

        var result = filtered.GetProperty("result");
        Assert.Equal("private", result.GetProperty("cacheScope").GetString());
        Assert.Equal(60000, result.GetProperty("ttlMs").GetInt32());
        Assert.Equal("c2", result.GetProperty("nextCursor").GetString());
        Assert.Equal(["echo"], result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Single(result.EnumerateObject(), p => p.Name == "cacheScope");
    }

    [Fact]
    public void Write_ListWithoutCacheFields_MarkedPrivate()
    {
        var filtered = Filter("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"echo"}]}}""");

        Assert.Equal("private", filtered.GetProperty("result").GetProperty("cacheScope").GetString());
        Assert.False(filtered.GetProperty("result").TryGetProperty("ttlMs", out _));
    }

    private static JsonElement Filter(string json)
    {
        using var input = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            ToolsListFilter.Write(writer, input.RootElement, Policy);
        }

        // Strict reading: a second cacheScope would be a duplicate key, refused here.
        using var parsed = JsonDocument.Parse(output.WrittenMemory, new JsonDocumentOptions { AllowDuplicateProperties = false });
        return parsed.RootElement.Clone();
    }
}

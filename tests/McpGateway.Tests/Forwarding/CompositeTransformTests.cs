using System.Buffers;
using McpGateway.Forwarding;
using McpGateway.Tests.Policy;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// A GET or listen stream's message may carry several kinds of list at once (issue 16): every kind is filtered,
/// and every transform of a stream rewrites what the one before it wrote. Before, only the first applying
/// transform ran and it filtered only the first kind it found, so a reviewer's upstream passed hidden resources,
/// templates and prompts beside a tools list, and a raw task id beside a filtered list.
/// </summary>
public sealed class CompositeTransformTests
{
    private const string Everything = """
        {"jsonrpc":"2.0","id":"s2","result":{
          "tools":[{"name":"echo"},{"name":"secret"}],
          "resources":[{"uri":"ok://a"},{"uri":"secret://x"}],
          "resourceTemplates":[{"uriTemplate":"secret://t/{id}"},{"uriTemplate":"ok://t/{id}"}],
          "prompts":[{"name":"secretprompt"},{"name":"p"}],
          "cacheScope":"public"}}
        """;

    private static readonly CompiledPolicy Policy = PolicyTestKit.Compile("""
        {"version":"1","default":"allow","hide":["secret"],
         "resources":{"secret://*":{"action":"hide"}},"prompts":{"secretprompt":{"action":"hide"}}}
        """);

    [Fact]
    public void Write_ListsOfEveryKindInOneMessage_EachFiltered()
    {
        var written = Write(new ListResultFilter(Kinds, anyResponse: true), Everything);

        Assert.Equal(["echo", "secret"], Names(written, "tools", "name"));
        Assert.Equal(["ok://a"], Names(written, "resources", "uri"));
        Assert.Equal(["ok://t/{id}"], Names(written, "resourceTemplates", "uriTemplate"));
        Assert.Equal(["p"], Names(written, "prompts", "name"));
        Assert.Equal("private", written.GetProperty("result").GetProperty("cacheScope").GetString());
    }

    [Fact]
    public void Write_SeveralTransformsApply_EachRewritesWhatTheOneBeforeWrote()
    {
        var stream = new CompositeTransform(new ToolsListFilter(Policy, anyResponse: true), new ListResultFilter(Kinds, anyResponse: true));

        var written = Write(stream, Everything);

        Assert.Equal(["echo"], Names(written, "tools", "name"));
        Assert.Equal(["ok://a"], Names(written, "resources", "uri"));
        Assert.Equal(["p"], Names(written, "prompts", "name"));
        Assert.Single(written.GetProperty("result").EnumerateObject(), p => p.NameEquals("cacheScope"));
    }

    [Fact]
    public void Write_OnlyOneTransformApplies_TheMessageIsWrittenByIt()
    {
        var stream = new CompositeTransform(new ListResultFilter(Kinds, anyResponse: true), new ToolsListFilter(Policy, anyResponse: true));

        var written = Write(stream, """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"secret"},{"name":"echo"}],"nextCursor":"c"}}""");

        Assert.Equal(["echo"], Names(written, "tools", "name"));
        Assert.Equal("c", written.GetProperty("result").GetProperty("nextCursor").GetString());
    }

    private static ListResultFilter.Kind[] Kinds =>
    [
        new("resources", "uri", Policy.Resources.IsListed),
        new("resourceTemplates", "uriTemplate", Policy.Resources.IsListed),
        new("prompts", "name", Policy.Prompts.IsListed),
    ];

    private static JsonElement Write(IMessageTransform transform, string message)
    {
        using var document = JsonDocument.Parse(message);
        Assert.True(transform.Applies(document.RootElement, isAnswer: true));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            transform.Write(writer, document.RootElement);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    private static string[] Names(JsonElement message, string array, string key) =>
        [.. message.GetProperty("result").GetProperty(array).EnumerateArray().Select(e => e.GetProperty(key).GetString()!)];
}

using McpGateway.Forwarding;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// The JSON body reader (issue 21) at every way an upstream can cut several messages into reads: each value comes
/// out whole and on its own, whatever whitespace separates them, and a broken or oversized one is an error.
/// </summary>
public sealed class JsonMessageReaderTests
{
    private const string Body =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1,\"note\":\"a } in a string\"}}\n" +
        "  \r\n\t{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{\"nested\":[{\"a\":[1,2,{\"b\":null}]}]}}" +
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}\n\n";

    [Theory]
    [MemberData(nameof(ChunkedStream.Sizes), MemberType = typeof(ChunkedStream))]
    public async Task ReadAsync_AnyChunking_SameMessages(int chunk)
    {
        var messages = await ReadAllAsync(Body, chunk, maxMessageBytes: 1024);

        Assert.Equal(
            [
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1,\"note\":\"a } in a string\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{\"nested\":[{\"a\":[1,2,{\"b\":null}]}]}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}",
            ],
            messages.Select(m => m.Trim()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task ReadAsync_BodyEndsInsideAMessage_Throws(int chunk)
    {
        // Either is what the relay reads as a broken answer; which one depends on where the last read ended.
        var thrown = await Record.ExceptionAsync(() => ReadAllAsync("{\"a\":1}\n{\"b\":[1,", chunk, maxMessageBytes: 1024));

        Assert.True(thrown is InvalidDataException or System.Text.Json.JsonException, $"threw {thrown?.GetType().Name ?? "nothing"}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task ReadAsync_NotJson_Throws(int chunk)
    {
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => ReadAllAsync("{\"a\":1}\n{not json}", chunk, maxMessageBytes: 1024));
    }

    [Theory]
    [MemberData(nameof(ChunkedStream.Sizes), MemberType = typeof(ChunkedStream))]
    public async Task ReadAsync_MessageJustOverLimit_ThrowsWhateverTheChunking(int chunk)
    {
        // One byte over: the read that completes the message must be judged as well as the ones before it.
        const int Limit = 4_000;
        var over = "{\"pad\":\"" + new string('x', Limit - 9) + "\"}";
        var exact = "{\"pad\":\"" + new string('x', Limit - 10) + "\"}";
        Assert.Equal((Limit + 1, Limit), (over.Length, exact.Length));

        Assert.Equal([exact], (await ReadAllAsync(" \n" + exact, chunk, maxMessageBytes: Limit)).Select(m => m.Trim()));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(over, chunk, maxMessageBytes: Limit));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync("{}\n" + over, chunk, maxMessageBytes: Limit));
    }

    [Fact]
    public async Task ReadAsync_MessageLargerThanOneRead_ArrivesWhole()
    {
        var payload = new string('y', 40_000);

        var messages = await ReadAllAsync("{\"pad\":\"" + payload + "\"}", 5_000, maxMessageBytes: 100_000);

        Assert.Contains(payload, Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WhitespaceOnly_EndsWithoutMessages()
    {
        Assert.Empty(await ReadAllAsync(" \n\r\n\t", 2, maxMessageBytes: 1024));
    }

    private static async Task<List<string>> ReadAllAsync(string text, int chunk, int maxMessageBytes)
    {
        var reader = new JsonMessageReader(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk), maxMessageBytes);
        await using (reader)
        {
            var messages = new List<string>();
            while (await reader.ReadAsync(CancellationToken.None) is { } message)
            {
                // The bytes are the reader's buffer, valid until the next read: copy them out now.
                messages.Add(Encoding.UTF8.GetString(message.Span));
            }

            return messages;
        }
    }
}

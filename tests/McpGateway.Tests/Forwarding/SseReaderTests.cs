using McpGateway.Forwarding;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// The SSE reader at every way an upstream can cut its stream into reads: whole, byte by byte, and in
/// chunks that split lines and CRLF pairs (issue 8 replaced its PipeReader with a pooled array).
/// </summary>
public sealed class SseReaderTests
{
    private const string Stream =
        ": a comment\r\n" +
        "event: message\r\n" +
        "id: 7\r\n" +
        "retry: 1500\r\n" +
        "data: {\"a\":1}\r\n" +
        "\r\n" +
        "\n" +
        "id: priming\n" +
        "data:\n" +
        "\n" +
        "data: first\n" +
        "data:second\n" +
        "unknown: ignored\n" +
        "\n" +
        "event: message\n" +
        "data: never finished\n";

    [Theory]
    [MemberData(nameof(ChunkedStream.Sizes), MemberType = typeof(ChunkedStream))]
    public async Task ReadAsync_AnyChunking_SameEvents(int chunk)
    {
        var events = await ReadAllAsync(Stream, chunk, maxEventBytes: 1024);

        Assert.Equal(3, events.Count);
        Assert.Equal(("message", "7", 1500, "{\"a\":1}", true), events[0]);
        Assert.Equal(((string?)null, "priming", (int?)null, "", true), events[1]);
        Assert.Equal(((string?)null, (string?)null, (int?)null, "first\nsecond", true), events[2]);
    }

    /// <summary>The specification's third line ending, a lone CR, mixed with the others; a CRLF split by a read is one ending.</summary>
    [Theory]
    [MemberData(nameof(ChunkedStream.Sizes), MemberType = typeof(ChunkedStream))]
    public async Task ReadAsync_BareCarriageReturns_SameEventsAsLineFeeds(int chunk)
    {
        var events = await ReadAllAsync("event: message\rid: 7\rdata: {\"a\":1}\r\rdata: one\r\ndata: two\n\r\rdata: last\r\r", chunk, maxEventBytes: 1024);

        Assert.Equal(3, events.Count);
        Assert.Equal(("message", "7", (int?)null, "{\"a\":1}", true), events[0]);
        Assert.Equal(((string?)null, (string?)null, (int?)null, "one\ntwo", true), events[1]);
        Assert.Equal(((string?)null, (string?)null, (int?)null, "last", true), events[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task ReadAsync_EventOverLimit_Throws(int chunk)
    {
        var big = "data: " + new string('x', 200) + "\n\n";

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(big, chunk, maxEventBytes: 100));
    }

    [Fact]
    public async Task ReadAsync_LineWithoutEndOverLimit_Throws()
    {
        var endless = "data: " + new string('x', 70_000);

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(endless, 4096, maxEventBytes: 50_000));
    }

    [Fact]
    public async Task ReadAsync_EventLargerThanOneRead_ArrivesWhole()
    {
        var payload = new string('y', 40_000);

        var events = await ReadAllAsync("data: " + payload + "\n\n", 5_000, maxEventBytes: 100_000);

        Assert.Equal(payload, Assert.Single(events).Data);
    }

    private static async Task<List<(string? EventType, string? Id, int? Retry, string Data, bool HasData)>> ReadAllAsync(string text, int chunk, int maxEventBytes)
    {
        var reader = new SseReader(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk), maxEventBytes);
        await using (reader)
        {
            var events = new List<(string?, string?, int?, string, bool)>();
            while (await reader.ReadAsync(CancellationToken.None) is { } item)
            {
                // Data is the reader's buffer, valid until the next read: copy it out now.
                events.Add((item.EventType, item.Id, item.Retry, Encoding.UTF8.GetString(item.Data.Span), item.HasData));
            }

            return events;
        }
    }
}

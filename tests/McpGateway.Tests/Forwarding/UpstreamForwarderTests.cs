using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using McpGateway.Configuration;
using McpGateway.Forwarding;
using McpGateway.Protocol;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// The forwarder's completion (issues 8 and 19): the caller's work on the message (the decision line's arguments
/// hash) runs after the request is sent and before the answer is awaited, so that it overlaps the upstream's work,
/// and the outcome reaches the caller (who writes the decision line) exactly once on every path, before the client
/// receives a byte of a JSON answer or of the error the gateway writes. The upstream here holds its answer until
/// the work has run: work done only after the answer would never finish.
/// </summary>
public sealed class UpstreamForwarderTests
{
    private const string Call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"write_note","arguments":{"title":"t"}}}""";
    private const string Answer = """{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"ok"}]}}""";

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    public async Task ForwardAsync_UpstreamHoldsItsAnswer_WorkRunsMeanwhileAndTheOutcomePrecedesTheAnswer(string mediaType)
    {
        var run = await ForwardOnceAsync(mediaType, Answer);

        Assert.EndsWith(Call, run.Received, StringComparison.Ordinal);
        Assert.True(run.Result.Completed);
        Assert.Equal(1, run.Completion.WorkCalls);
        if (mediaType == "application/json")
        {
            // Reported before the client had a byte; then sent whole, with its length.
            Assert.Equal([(true, 200, 0L)], run.Completion.Outcomes);
            Assert.Equal(Answer, run.Relayed);
            Assert.Equal(Answer.Length, run.ContentLength);
        }
        else
        {
            // Reported once, after the answer's event and before the forwarder returns (and the stream can end).
            var (completed, status, clientBytes) = Assert.Single(run.Completion.Outcomes);
            Assert.Equal((true, 200), (completed, status));
            Assert.Contains("data: " + Answer + "\n", run.Relayed, StringComparison.Ordinal);
            Assert.Equal(run.Relayed.Length, clientBytes);
        }
    }

    [Fact]
    public async Task ForwardAsync_JsonAnswerWithAnotherId_NeverRelayedAndTheClientGetsAnErrorForItsOwnId()
    {
        var run = await ForwardOnceAsync("application/json", Answer.Replace("\"id\":7", "\"id\":8", StringComparison.Ordinal));

        Assert.False(run.Result.Completed);
        Assert.False(run.Result.ProvablyNotRun);
        Assert.Equal(GatewayError.UpstreamForeignId, run.Result.Error);

        // The failure is reported once, before the error the gateway writes in the answer's place.
        Assert.Equal([(false, 200, 0L)], run.Completion.Outcomes);
        Assert.DoesNotContain("\"id\":8", run.Relayed, StringComparison.Ordinal);
        Assert.Contains("\"id\":7", run.Relayed, StringComparison.Ordinal);
    }

    /// <summary>Forwards <see cref="Call"/> to an upstream that answers <paramref name="answer"/> once the exchange's work has run.</summary>
    private static async Task<ForwardRun> ForwardOnceAsync(string mediaType, string answer)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);

        Assert.Equal(GatewayError.None, JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(Call), out var message, out _));
        using var parsed = message!;
        var context = new DefaultHttpContext { RequestAborted = deadline.Token };
        var clientBody = new MemoryStream();
        context.Response.Body = clientBody;
        var completion = new RecordingCompletion(clientBody);
        var exchange = new UpstreamExchange
        {
            Server = new ServerConfig("notes", new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/mcp"), FrozenDictionary<string, string>.Empty, TimeSpan.FromSeconds(10)),
            Grant = new GrantConfig("agent", [.. new byte[32]], "notes", "p"),
            Method = HttpMethod.Post,
            Message = parsed,
        };
        var upstream = AnswerAfterAsync(listener, completion.WorkRan.Task, mediaType, answer, deadline.Token);

        using var client = new UpstreamClient();
        var forwarder = new UpstreamForwarder(client, new SessionSealer(RandomNumberGenerator.GetBytes(32)), Options.Create(new GatewayOptions()), NullLogger<UpstreamForwarder>.Instance);
        var result = await forwarder.ForwardAsync(context, exchange, completion);
        var received = await upstream;
        return new ForwardRun(result, completion, received, Encoding.UTF8.GetString(clientBody.ToArray()), context.Response.ContentLength);
    }

    /// <summary>Reads one request whole, waits for <paramref name="release"/>, then answers; returns the request as text.</summary>
    private static async Task<string> AnswerAfterAsync(TcpListener listener, Task release, string mediaType, string answer, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        var buffer = new byte[8192];
        var total = 0;
        while (!Encoding.UTF8.GetString(buffer, 0, total).EndsWith(Call, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), cancellationToken);
            Assert.NotEqual(0, read);
            total += read;
        }

        await release.WaitAsync(cancellationToken);
        var body = mediaType == "application/json" ? answer : "event: message\ndata: " + answer + "\n\n";
        var response = $"HTTP/1.1 200 OK\r\nContent-Type: {mediaType}\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.UTF8.GetBytes(response), cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private sealed record ForwardRun(ForwardResult Result, RecordingCompletion Completion, string Received, string Relayed, long? ContentLength);

    /// <summary>Records the completion's calls, and how much the client had received when the outcome was reported.</summary>
    private sealed class RecordingCompletion(MemoryStream clientBody) : IForwardCompletion
    {
        public TaskCompletionSource WorkRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int WorkCalls { get; private set; }

        public List<(bool Completed, int? Status, long ClientBytes)> Outcomes { get; } = [];

        public void WhileUpstreamWorks()
        {
            WorkCalls++;
            WorkRan.SetResult();
        }

        public ValueTask OnCompletedAsync(ForwardResult outcome)
        {
            Outcomes.Add((outcome.Completed, outcome.UpstreamStatus, clientBody.Length));
            return ValueTask.CompletedTask;
        }
    }
}

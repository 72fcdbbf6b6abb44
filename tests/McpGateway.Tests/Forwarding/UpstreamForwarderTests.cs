using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using McpGateway.Configuration;
using McpGateway.Forwarding;
using McpGateway.Protocol;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Forwarding;

/// <summary>
/// The forwarder runs the caller's work on the message (the decision line's arguments hash) after the request
/// is sent and before the answer is awaited, so that it overlaps the upstream's work (issue 8). The upstream
/// here holds its answer until that work has run: work done only after the answer would never finish.
/// </summary>
public sealed class UpstreamForwarderTests
{
    private const string Call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"write_note","arguments":{"title":"t"}}}""";
    private const string Answer = """{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"ok"}]}}""";

    [Fact]
    public async Task Work_on_the_message_runs_while_the_upstream_holds_its_answer()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var workRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var upstream = AnswerAfterAsync(listener, workRan.Task, deadline.Token);

        Assert.Equal(GatewayError.None, JsonRpcParser.TryParse(Encoding.UTF8.GetBytes(Call), out var message, out _));
        using var parsed = message!;
        var calls = 0;
        var exchange = new UpstreamExchange
        {
            Server = new ServerConfig("notes", new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/mcp"), FrozenDictionary<string, string>.Empty, TimeSpan.FromSeconds(10)),
            Grant = new GrantConfig("agent", [.. new byte[32]], "notes", "p"),
            Method = HttpMethod.Post,
            Message = parsed,
            WhileUpstreamWorks = m =>
            {
                calls++;
                Assert.Same(parsed, m);
                workRan.SetResult();
            },
        };

        using var client = new UpstreamClient();
        var forwarder = new UpstreamForwarder(client, new SessionSealer(RandomNumberGenerator.GetBytes(32)), Options.Create(new GatewayOptions()), NullLogger<UpstreamForwarder>.Instance);
        var context = new DefaultHttpContext { RequestAborted = deadline.Token };
        context.Response.Body = new MemoryStream();

        var result = await forwarder.ForwardAsync(context, exchange);
        var received = await upstream;

        Assert.Equal(1, calls);
        Assert.True(result.Completed);
        Assert.EndsWith(Call, received, StringComparison.Ordinal);
        Assert.Equal(Answer, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    /// <summary>Reads one request whole, waits for <paramref name="release"/>, then answers; returns the request as text.</summary>
    private static async Task<string> AnswerAfterAsync(TcpListener listener, Task release, CancellationToken cancellationToken)
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
        var answer = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Answer.Length}\r\n\r\n{Answer}";
        await socket.SendAsync(Encoding.UTF8.GetBytes(answer), cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}

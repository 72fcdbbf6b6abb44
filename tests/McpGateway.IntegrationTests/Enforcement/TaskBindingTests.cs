using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Enforcement;

/// <summary>
/// Tasks bound to the grant that created them (issue 16), through the real gateway in front of server-everything,
/// whose <c>simulate-research-query</c> tool runs only as a task: two grants of one server, each with the C# SDK client.
/// </summary>
public sealed class TaskBindingTests
{
    private const string Policy = """{"version":"1","default":"deny","tools":{"simulate-research-query":{}}}""";

    [Fact]
    public async Task TaskIsReachableOnlyByItsGrant_AndListsShowNoOneElsesTasks()
    {
        await using var upstream = await ServerEverything.StartAsync();
        var config = new GatewayConfig()
            .Server("everything", upstream.Url)
            .Policy("p", Policy)
            .Grant("alice", "everything", "p", out var aliceToken)
            .Grant("bob", "everything", "p", out var bobToken);
        await using var gateway = await GatewayProcess.StartAsync(config.Build());
        await using var alice = await CSharpClient.ConnectAsync(gateway.McpUrl("everything"), aliceToken);
        await using var bob = await CSharpClient.ConnectAsync(gateway.McpUrl("everything"), bobToken);

        var created = await SendAsync(alice, "tools/call", new JsonObject
        {
            ["name"] = "simulate-research-query",
            ["arguments"] = new JsonObject { ["topic"] = "gateways", ["ambiguous"] = false },
            ["task"] = new JsonObject { ["ttl"] = 60000 },
        });
        var taskId = created.GetProperty("task").GetProperty("taskId").GetString()!;
        Assert.StartsWith("mgt1.", taskId, StringComparison.Ordinal);

        var status = await SendAsync(alice, "tasks/get", new JsonObject { ["taskId"] = taskId });
        Assert.Equal(taskId, status.GetProperty("taskId").GetString());

        // Another grant gets the answer an unknown task gets, for the sealed id and for anything else.
        var stolen = await Assert.ThrowsAnyAsync<McpException>(() => SendAsync(bob, "tasks/get", new JsonObject { ["taskId"] = taskId }));
        Assert.Contains("Task not found", stolen.Message, StringComparison.Ordinal);
        var cancel = await Assert.ThrowsAnyAsync<McpException>(() => SendAsync(bob, "tasks/cancel", new JsonObject { ["taskId"] = taskId }));
        Assert.Equal(stolen.Message, cancel.Message);
        var forged = await Assert.ThrowsAnyAsync<McpException>(() => SendAsync(alice, "tasks/get", new JsonObject { ["taskId"] = taskId[..^2] + (taskId[^2] == 'A' ? "B" : "A") + taskId[^1] }));
        Assert.Equal(stolen.Message, forged.Message);

        var bobsList = await SendAsync(bob, "tasks/list", new JsonObject());
        Assert.Empty(bobsList.GetProperty("tasks").EnumerateArray());
        var alicesList = await SendAsync(alice, "tasks/list", new JsonObject());
        Assert.DoesNotContain(alicesList.GetProperty("tasks").EnumerateArray(), t => !t.GetProperty("taskId").GetString()!.StartsWith("mgt1.", StringComparison.Ordinal));

        // The owner reaches the task's result once it is done.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (status.GetProperty("status").GetString() is "working" or "input_required" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            status = await SendAsync(alice, "tasks/get", new JsonObject { ["taskId"] = taskId });
        }

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var result = await SendAsync(alice, "tasks/result", new JsonObject { ["taskId"] = taskId });
        Assert.True(result.TryGetProperty("content", out _), result.GetRawText());
        await Assert.ThrowsAnyAsync<McpException>(() => SendAsync(bob, "tasks/result", new JsonObject { ["taskId"] = taskId }));
    }

    private static async Task<JsonElement> SendAsync(McpClient client, string method, JsonObject parameters)
    {
        var response = await client.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters });
        using var document = JsonDocument.Parse(response.Result!.ToJsonString());
        return document.RootElement.Clone();
    }
}

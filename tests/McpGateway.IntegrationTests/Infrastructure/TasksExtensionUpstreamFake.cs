using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A hand-made MCP 2026-07-28 server with the tasks extension (SEP-2663), stateless and answering in JSON: no SDK
/// this project can use implements that extension yet (the C# SDK 2.4.0 has no tasks), so this fake stands in for
/// one (STYLE.md allows a fake of our own there). Under the extension the server decides which calls become tasks:
/// <c>slow_compute</c> answers every call with a flat <c>CreateTaskResult</c> (<c>resultType: "task"</c> and the task
/// at the result's top level), <c>greet</c> answers at once. <c>tasks/get</c> answers a task it issued as completed,
/// with the tool's result inlined; <c>tasks/cancel</c> and <c>tasks/update</c> answer the empty acknowledgement.
/// </summary>
internal sealed class TasksExtensionUpstreamFake : IAsyncDisposable
{
    private const string TasksExtension = "io.modelcontextprotocol/tasks";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<(string Method, string TaskId, string? NameHeader)> _received = new();

    private TasksExtensionUpstreamFake(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The task ids this server created, as it created them.</summary>
    public IReadOnlyCollection<string> Issued => _issued;

    /// <summary>The <c>params.taskId</c> and <c>Mcp-Name</c> header of every tasks/* request that reached this server.</summary>
    public IReadOnlyCollection<(string Method, string TaskId, string? NameHeader)> Received => _received;

    public static async Task<TasksExtensionUpstreamFake> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var upstream = new TasksExtensionUpstreamFake(app);
        app.MapPost("/mcp", upstream.AnswerAsync);
        upstream.Url = new Uri(await app.StartLoopbackAsync(), "/mcp");
        return upstream;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        var root = request.RootElement;
        var method = root.GetProperty("method").GetString();
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        var result = method switch
        {
            "server/discover" => new JsonObject
            {
                ["supportedVersions"] = new JsonArray("2026-07-28"),
                ["capabilities"] = new JsonObject { ["tools"] = new JsonObject(), ["extensions"] = new JsonObject { [TasksExtension] = new JsonObject() } },
                ["serverInfo"] = new JsonObject { ["name"] = "tasks-extension-fake", ["version"] = "1" },
            },
            "tools/call" when parameters.GetProperty("name").GetString() == "slow_compute" => CreateTask(),
            "tools/call" => Text("Hello, " + parameters.GetProperty("arguments").GetProperty("name").GetString() + "!"),
            "tasks/get" => TaskStatus(Record(context, method, parameters)),
            "tasks/cancel" or "tasks/update" => Acknowledge(Record(context, method, parameters)),
            _ => null,
        };

        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(root.GetProperty("id").GetRawText()) };
        if (result is null)
        {
            answer["error"] = new JsonObject { ["code"] = -32602, ["message"] = "Failed to retrieve task: Task not found" };
        }
        else
        {
            answer["result"] = result;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private string Record(HttpContext context, string? method, JsonElement parameters)
    {
        var taskId = parameters.GetProperty("taskId").GetString()!;
        var nameHeader = context.Request.Headers.TryGetValue("Mcp-Name", out var name) ? name.ToString() : null;
        _received.Enqueue((method!, taskId, nameHeader));
        return taskId;
    }

    private JsonObject CreateTask()
    {
        var taskId = "upstream-task-" + Guid.NewGuid().ToString("N")[..12];
        _issued.Enqueue(taskId);
        return TaskResult("task", taskId, "working", "2026-12-03T12:00:00Z");
    }

    private JsonObject? TaskStatus(string taskId)
    {
        if (!_issued.Contains(taskId))
        {
            return null;
        }

        var done = TaskResult("complete", taskId, "completed", "2026-12-03T12:00:01Z");
        done["result"] = Text("computed");
        return done;
    }

    /// <summary>A task as the extension describes it: created at a fixed time, kept for a minute.</summary>
    private static JsonObject TaskResult(string resultType, string taskId, string status, string lastUpdatedAt) => new()
    {
        ["resultType"] = resultType,
        ["taskId"] = taskId,
        ["status"] = status,
        ["createdAt"] = "2026-12-03T12:00:00Z",
        ["lastUpdatedAt"] = lastUpdatedAt,
        ["ttlMs"] = 60000,
    };

    private JsonObject? Acknowledge(string taskId) => _issued.Contains(taskId) ? new JsonObject { ["resultType"] = "complete" } : null;

    private static JsonObject Text(string text) => new()
    {
        ["resultType"] = "complete",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
    };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

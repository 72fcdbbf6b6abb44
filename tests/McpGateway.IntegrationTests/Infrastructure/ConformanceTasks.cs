using System.Collections.Concurrent;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The SDK's hooks for extensions (custom request handlers, alternate results) are marked experimental in 2.4.0.
#pragma warning disable MCPEXP002

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The 2026-07-28 tasks extension (SEP-2663) on <see cref="ConformanceUpstream"/>, with the fixtures the conformance
/// suite's <c>tasks-*</c> scenarios document. The C# SDK 2.4.0 implements no tasks, but gives an extension what it
/// needs: custom request handlers for <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> (with the
/// <c>Mcp-Name</c> check on <c>taskId</c>), and an alternate-result filter through which a <c>tools/call</c> answers with
/// a <c>CreateTaskResult</c>. The server decides which calls become tasks, per request, by whether the request's
/// client capabilities declare the extension; <c>tasks/result</c> and <c>tasks/list</c> stay unknown methods.
/// </summary>
internal sealed class ConformanceTasks
{
    public const string Extension = "io.modelcontextprotocol/tasks";

    private const string AskConfirm = """{"method":"elicitation/create","params":{"message":"Delete the file?","requestedSchema":{"type":"object","properties":{"confirm":{"type":"boolean"}},"required":["confirm"]}}}""";
    private const string AskName = ConformanceInputRequiredTools.AskName;

    private readonly ConcurrentDictionary<string, ConformanceTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<(string Method, string TaskId)> _received = new();

    /// <summary>The task ids this server created, as it created them.</summary>
    public IReadOnlyCollection<string> Issued => _issued;

    /// <summary>
    /// The method and <c>params.taskId</c> of every tasks request that reached a handler. The SDK lets one through only
    /// when its <c>Mcp-Name</c> header names that same id, so each entry also says the header did.
    /// </summary>
    public IReadOnlyCollection<(string Method, string TaskId)> Received => _received;

    /// <summary>The fixtures as tools/list shows them; which of them become tasks is <see cref="CallToolAsync"/>'s decision.</summary>
    public static IEnumerable<ConformanceTool> Tools() =>
    [
        ConformanceTool.Define("""{"name":"greet","description":"Answers at once","inputSchema":{"type":"object","properties":{"name":{"type":"string"}}}}""", (request, _) =>
            ValueTask.FromResult(ConformanceJson.Text($"Hello, {Argument(request.Params, "name")}!"))),
        ConformanceTool.Define("""{"name":"slow_compute","description":"A task when the client allows, else at once","inputSchema":{"type":"object","properties":{"seconds":{"type":"number"},"label":{"type":"string"}}}}""", (request, _) =>
            ValueTask.FromResult(ConformanceJson.Text($"computed {Argument(request.Params, "label")}"))),
        ConformanceTool.NoArguments("failing_job", "Always a task; ends completed with isError", Unreachable),
        ConformanceTool.NoArguments("protocol_error_job", "Always a task; ends failed", Unreachable),
        ConformanceTool.Define("""{"name":"confirm_delete","description":"A task that asks for confirmation","inputSchema":{"type":"object","properties":{"filename":{"type":"string"}}}}""", Unreachable),
        ConformanceTool.NoArguments("multi_input", "A task that asks two things at once", Unreachable),
        ConformanceTool.NoArguments("test_tool_with_task", "Asks for a name, then becomes a task", (request, _) =>
            throw new InputRequiredException(new Dictionary<string, InputRequest>(StringComparer.Ordinal) { ["user_name"] = ConformanceJson.Read<InputRequest>(AskName) }, null)),
    ];

    public void Configure(McpServerOptions options)
    {
        options.Capabilities!.Extensions = new Dictionary<string, object> { [Extension] = new JsonObject() };
        options.Filters.Request.CallToolWithAlternateFilters.Add(CallToolAsync);
        options.RequestHandlers =
        [
            Handler("tasks/get", (task, _) => task.Detailed()),
            Handler("tasks/update", (task, parameters) =>
            {
                if (parameters["inputResponses"] is JsonObject responses)
                {
                    task.Answer(responses);
                }

                return Acknowledged();
            }),
            Handler("tasks/cancel", (task, _) =>
            {
                task.Cancel();
                return Acknowledged();
            }),
        ];
    }

    private async ValueTask<ResultOrAlternate<CallToolResult>> CallToolAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, ResultOrAlternate<CallToolResult>> next,
        CancellationToken cancellationToken)
    {
        var name = request.Params?.Name;
        var declared = Declared(request.Server);
        switch (name)
        {
            case "slow_compute" when declared:
                return Start(task => CompleteAfterAsync(task, TimeSpan.FromSeconds(Number(request.Params, "seconds")), $"computed {Argument(request.Params, "label")}"));
            case "failing_job" or "protocol_error_job" or "confirm_delete" or "multi_input" or "test_tool_with_task" when !declared:
                throw Required();
            case "failing_job":
                return Start(task => CompleteAfterAsync(task, TimeSpan.FromSeconds(1), "the job failed", isError: true));
            case "protocol_error_job":
                return Start(task =>
                {
                    task.Fail((int)McpErrorCode.InternalError, "the job hit an internal error");
                    return Task.CompletedTask;
                });
            case "confirm_delete":
                var filename = Argument(request.Params, "filename");
                return Start(task => AskAsync(task, _ => $"Deleted {filename}", ("confirm", AskConfirm)));
            case "multi_input":
                return Start(task => AskAsync(task, answers => $"Got {answers.Count} answers", ("name", AskName), ("confirm", AskConfirm)));
            case "test_tool_with_task" when ConformanceInputRequiredTools.Accepted(request.Params, "user_name", "name") is { } user:
                return Start(task => CompleteAfterAsync(task, TimeSpan.FromMilliseconds(200), $"Hello, {user}!"));
            default:
                return await next(request, cancellationToken);
        }
    }

    /// <summary>Creates a task, readable at once, and runs its work in the background; the call answers with the task.</summary>
    private ResultOrAlternate<CallToolResult> Start(Func<ConformanceTask, Task> work)
    {
        var task = new ConformanceTask("conformance-task-" + Guid.NewGuid().ToString("N"));
        _tasks[task.Id] = task;
        _issued.Enqueue(task.Id);

        // The answer is the task as created, taken before any work can move it on.
        var created = CreateTaskResult.From(task.Created());
        _ = Task.Run(() => work(task));
        return ResultOrAlternate<CallToolResult>.FromAlternate(created, CreateTaskResult.TypeInfo);
    }

    private static async Task CompleteAfterAsync(ConformanceTask task, TimeSpan delay, string text, bool isError = false)
    {
        try
        {
            await Task.Delay(delay, task.Cancellation.Token);
            task.Complete(text, isError);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Task AskAsync(ConformanceTask task, Func<IReadOnlyDictionary<string, JsonNode>, string> resultOnceAnswered, params (string Key, string RequestJson)[] asks)
    {
        task.Ask(resultOnceAnswered, asks);
        return Task.CompletedTask;
    }

    private McpServerRequestHandler Handler(string method, Func<ConformanceTask, JsonObject, JsonObject> answer) => new()
    {
        Method = method,
        RoutingNameParameter = "taskId",
        Handler = (request, _) =>
        {
            var parameters = request.Params as JsonObject ?? new JsonObject();
            var id = parameters["taskId"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (id is not null)
            {
                _received.Enqueue((method, id));
            }

            // The extension's methods exist only for a client that declared it, whatever the id (SEP-2663).
            if (!Declared(request.Server))
            {
                throw Required();
            }

            return id is not null && _tasks.TryGetValue(id, out var task)
                ? ValueTask.FromResult<JsonNode?>(answer(task, parameters))
                : throw new McpProtocolException("Failed to retrieve task: Task not found", McpErrorCode.InvalidParams);
        },
    };

    private static bool Declared(McpServer server) => server.ClientCapabilities?.Extensions?.ContainsKey(Extension) == true;

    private static MissingRequiredClientCapabilityException Required() =>
        new(new ClientCapabilities { Extensions = new Dictionary<string, object> { [Extension] = new JsonObject() } }, "this needs the tasks extension (" + Extension + ")");

    private static JsonObject Acknowledged() => new() { ["resultType"] = "complete" };

    private static ValueTask<CallToolResult> Unreachable(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(request.Params?.Name + " runs only as a task");

    private static string Argument(CallToolRequestParams? parameters, string name) =>
        parameters?.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static double Number(CallToolRequestParams? parameters, string name) =>
        parameters?.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number ? Math.Clamp(value.GetDouble(), 0, 600) : 0;
}

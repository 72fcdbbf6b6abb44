using McpGateway.Catalog;
using McpGateway.Configuration;
using McpGateway.Forwarding;
using McpGateway.Policy;
using McpGateway.Protocol;

namespace McpGateway.Enforcement;

/// <summary>Who is calling which server under which policy: established once per request, then read-only.</summary>
internal sealed class RequestScope : ITaskIdSealer
{
    public required GrantConfig Grant { get; init; }
    public required ServerConfig Server { get; init; }

    /// <summary>The grant's compiled policy; null when it is missing or invalid (then everything is denied).</summary>
    public CompiledPolicy? Policy { get; init; }

    public string? PolicyVersion { get; init; }

    /// <summary>Why <see cref="Policy"/> is null, in words an operator can act on.</summary>
    public string PolicyFailureReason { get; init; } = "";

    public string? UpstreamSessionId { get; init; }

    /// <summary>Judges the tools of relayed lists against the server's pins (issue 15); null leaves lists to the policy alone.</summary>
    public ToolPinCheck? Pins { get; init; }

    /// <summary>Seals the task ids the upstream sends (issue 16); null relays them as they are (tests of other parts).</summary>
    public TaskIdBinding? Tasks { get; init; }

    /// <summary>Seals the requestState of input_required answers (issue 21); null relays them as they are (tests of other parts).</summary>
    public RequestStateBinding? RequestStates { get; init; }

    /// <inheritdoc/>
    public string SealTaskId(string upstreamTaskId) => Tasks!.Seal(this, upstreamTaskId);

    /// <summary>Whose calls these are, as sealed ids name them.</summary>
    public string Owner => UpstreamExchange.OwnerOf(Grant, Server);

    /// <summary>The policy that filters tools/list answers: without a usable policy nothing is listed (fail closed for discovery as for calls).</summary>
    public CompiledPolicy ListingPolicy => Policy ?? DenyAllPolicy;

    /// <summary>
    /// The request to forward, with the filter its answers need: a tools/list answer, and on a GET stream any
    /// response carrying a tools array (the gateway cannot know which request a resumed response belongs to).
    /// An <c>answer</c> transform rewrites the request's own answer after those.
    /// </summary>
    public UpstreamExchange CreateExchange(HttpMethod method, JsonRpcMessage? message, IReadOnlyList<KeyValuePair<string, string>>? paramHeaders = null, IMessageTransform? answer = null) => new()
    {
        ParamHeaders = paramHeaders,
        Server = Server,
        Grant = Grant,
        Method = method,
        Message = message,
        UpstreamSessionId = UpstreamSessionId,
        Transform = answer is null ? TransformFor(method, message) : Combine(TransformFor(method, message), answer),
        InputRequired = message is { Kind: JsonRpcMessageKind.Request } ? RequestStates : null,
    };

    /// <summary>
    /// The filter a request's answers need (issue 16): its own kind of list for a list request, and on a GET stream
    /// every kind, in any response (the gateway cannot know which request a resumed response belongs to).
    /// </summary>
    private IMessageTransform? TransformFor(HttpMethod method, JsonRpcMessage? message)
    {
        // Only where task ids can come back: a stream of notifications, a tools/call, the tasks/* methods. Under the
        // 2026-07-28 tasks extension (SEP-2663) the server decides whether a call becomes a task, so any tools/call can
        // answer with a flat CreateTaskResult (result.taskId) without the client having asked; the transform checks
        // the answer's top level and rewrites only an answer that carries a task id.
        // A 2026-07-28 listen stream carries what the GET stream carried (issue 21), and is filtered as it is.
        var isStream = method == HttpMethod.Get || message is { Kind: JsonRpcMessageKind.Request, Method: McpMethods.SubscriptionsListen };
        var tasks = Tasks is not null && (isStream || CanCarryTaskIds(message))
            ? new TaskIdTransform(this, hideLists: false)
            : null;
        if (isStream)
        {
            return Combine(new ToolsListFilter(ListingPolicy, anyResponse: true, PinFilter()), new ListResultFilter(ListKinds(null), anyResponse: true), tasks);
        }

        if (message is not { Kind: JsonRpcMessageKind.Request } request)
        {
            return null;
        }

        return request.Method switch
        {
            McpMethods.ToolsList => Combine(new ToolsListFilter(ListingPolicy, anyResponse: false, PinFilter()), tasks),
            McpMethods.ResourcesList or McpMethods.ResourceTemplatesList or McpMethods.PromptsList => Combine(new ListResultFilter(ListKinds(request.Method), anyResponse: false), tasks),

            // An upstream may list every client's tasks (a stateless one always does, a session-based one may): without a
            // store the gateway cannot tell whose they are, so a list shows none; each grant keeps the ids it was given.
            McpMethods.TasksList when Tasks is not null => new TaskIdTransform(this, hideLists: true),
            _ => tasks,
        };
    }

    private static bool CanCarryTaskIds(JsonRpcMessage? message) =>
        message is { Kind: JsonRpcMessageKind.Request } request &&
        (request.Method == McpMethods.ToolsCall || McpMethods.NamesATask(request.Method) ||
         (request.Params.ValueKind == System.Text.Json.JsonValueKind.Object && request.Params.TryGetProperty("task"u8, out _)));

    private static IMessageTransform? Combine(params IMessageTransform?[] transforms)
    {
        var present = transforms.OfType<IMessageTransform>().ToArray();
        return present.Length switch
        {
            0 => null,
            1 => present[0],
            _ => new CompositeTransform(present),
        };
    }

    /// <summary>The lists of resources, resource templates and prompts, judged by the policy's sections; <paramref name="method"/> narrows to one.</summary>
    private ListResultFilter.Kind[] ListKinds(string? method)
    {
        var policy = ListingPolicy;
        var all = new[]
        {
            (McpMethods.ResourcesList, new ListResultFilter.Kind("resources", "uri", policy.Resources.IsListed)),
            (McpMethods.ResourceTemplatesList, new ListResultFilter.Kind("resourceTemplates", "uriTemplate", policy.Resources.IsListed)),
            (McpMethods.PromptsList, new ListResultFilter.Kind("prompts", "name", policy.Prompts.IsListed)),
        };
        return [.. all.Where(k => method is null || k.Item1 == method).Select(k => k.Item2)];
    }

    private Func<string, System.Text.Json.JsonElement, bool>? PinFilter() =>
        Pins is { } pins && Server.ToolPins is not null ? (name, tool) => pins.Admits(Server, name, tool) : null;

    /// <summary>Denies and hides everything: what a grant without a usable policy sees.</summary>
    private static readonly CompiledPolicy DenyAllPolicy =
        CompiledPolicy.Compile(new PolicyDocument(DefaultAction.Deny, Hide: ["*"], AllToolsLimits: [], Tools: []));
}

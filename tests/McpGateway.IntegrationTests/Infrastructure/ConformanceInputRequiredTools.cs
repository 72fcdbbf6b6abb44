using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The 2025-11-25 suite exercises sampling, roots, logging and stateful sessions, which 2026-07-28 deprecates
// (SEP-2577, SEP-2567); this upstream serves both revisions on purpose.
#pragma warning disable MCP9005

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The tools and the prompt of the 2026-07-28 input-required-result-* scenarios (SEP-2322, multi round-trip
/// requests). Each round is a fresh stateless request: the tool looks at the <c>inputResponses</c> and the
/// <c>requestState</c> the client echoed, and either completes or throws <see cref="InputRequiredException"/>, which
/// the SDK writes as a result with <c>resultType: input_required</c>. Missing, wrong or malformed responses are
/// asked for again (the SHOULD of the missing-input and validate-input scenarios); altered state is refused.
/// </summary>
internal static class ConformanceInputRequiredTools
{
    internal const string AskName = """{"method":"elicitation/create","params":{"message":"What is your name?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}""";
    private const string AskCapital = """{"method":"sampling/createMessage","params":{"messages":[{"role":"user","content":{"type":"text","text":"What is the capital of France?"}}],"maxTokens":100}}""";
    private const string AskGreeting = """{"method":"sampling/createMessage","params":{"messages":[{"role":"user","content":{"type":"text","text":"Generate a greeting"}}],"maxTokens":50}}""";
    private const string AskRoots = """{"method":"roots/list","params":{}}""";
    private const string AskConfirm = """{"method":"elicitation/create","params":{"message":"Please confirm","requestedSchema":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}}}""";
    private const string AskStep1 = """{"method":"elicitation/create","params":{"message":"Step 1: What is your name?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}""";
    private const string AskStep2 = """{"method":"elicitation/create","params":{"message":"Step 2: What is your favorite color?","requestedSchema":{"type":"object","properties":{"color":{"type":"string"}},"required":["color"]}}}""";
    private const string AskContext = """{"method":"elicitation/create","params":{"message":"What context should the prompt use?","requestedSchema":{"type":"object","properties":{"context":{"type":"string"}},"required":["context"]}}}""";

    public static IEnumerable<ConformanceTool> Tools(SealedRequestState state) =>
    [
        ConformanceTool.NoArguments("test_input_required_result_elicitation", "Asks for a name first", (request, _) =>
            Complete(Accepted(request.Params, "user_name", "name") is { } name ? $"Hello, {name}!" : throw Ask(null, ("user_name", AskName)))),

        ConformanceTool.NoArguments("test_input_required_result_sampling", "Asks the client's LLM first", (request, _) =>
            Complete(Sampled(request.Params, "capital_question") is { } text ? "Sampling said: " + text : throw Ask(null, ("capital_question", AskCapital)))),

        ConformanceTool.NoArguments("test_input_required_result_list_roots", "Asks for the client's roots first", (request, _) =>
            Complete(Roots(request.Params, "client_roots") is { } roots ? "Roots: " + roots : throw Ask(null, ("client_roots", AskRoots)))),

        ConformanceTool.NoArguments("test_input_required_result_request_state", "Round-trips its state", (request, _) =>
            Complete(Has(request.Params, "confirm") && Opened(state, request.Params) == "confirm"
                ? "state-ok: the requestState came back intact"
                : throw Ask(state.Seal("confirm"), ("confirm", AskConfirm)))),

        ConformanceTool.NoArguments("test_input_required_result_multiple_inputs", "Asks for three things at once", (request, _) =>
            Complete(Has(request.Params, "user_name") && Has(request.Params, "greeting") && Has(request.Params, "client_roots") && Opened(state, request.Params) == "multiple"
                ? "All three inputs received"
                : throw Ask(state.Seal("multiple"), ("user_name", AskName), ("greeting", AskGreeting), ("client_roots", AskRoots)))),

        ConformanceTool.NoArguments("test_input_required_result_multi_round", "Asks twice, the state evolving", (request, _) =>
        {
            var round = Opened(state, request.Params);
            if (round is not null && round.StartsWith("round-2:", StringComparison.Ordinal) && Accepted(request.Params, "step2", "color") is { } color)
            {
                return Complete($"{round["round-2:".Length..]} likes {color}");
            }

            if (round == "round-1" && Accepted(request.Params, "step1", "name") is { } name)
            {
                throw Ask(state.Seal("round-2:" + name), ("step2", AskStep2));
            }

            throw Ask(state.Seal("round-1"), ("step1", AskStep1));
        }),

        ConformanceTool.NoArguments("test_input_required_result_tampered_state", "Refuses altered state", (request, _) =>
        {
            if (request.Params?.RequestState is null)
            {
                throw Ask(state.Seal("tamper-check"), ("user_name", AskName));
            }

            return Opened(state, request.Params) == "tamper-check"
                ? Complete("state intact")
                : throw new McpProtocolException("requestState failed its integrity check", McpErrorCode.InvalidParams);
        }),

        // Only what the client declared in _meta may be asked for (SEP-2322 capability check).
        ConformanceTool.NoArguments("test_input_required_result_capabilities", "Asks only for what the client can give", (request, _) =>
        {
            if (request.Params?.InputResponses is { Count: > 0 })
            {
                return Complete("inputs received: " + string.Join(",", request.Params.InputResponses.Keys.Order(StringComparer.Ordinal)));
            }

            var capabilities = request.Server.ClientCapabilities;
            var asks = new List<(string, string)>();
            if (capabilities?.Sampling is not null)
            {
                asks.Add(("capital_question", AskCapital));
            }

            if (capabilities?.Elicitation is not null)
            {
                asks.Add(("user_name", AskName));
            }

            if (capabilities?.Roots is not null)
            {
                asks.Add(("client_roots", AskRoots));
            }

            return asks.Count == 0 ? Complete("the client declared nothing to ask for") : throw Ask(null, [.. asks]);
        }),
    ];

    /// <summary>input_required on a request that is not a tool call (input-required-result-non-tool-request).</summary>
    public static ConformancePrompt Prompt() =>
        ConformancePrompt.Define("""{"name":"test_input_required_result_prompt","description":"Asks for context before it is rendered"}""", request =>
            Accepted(request.Params, "user_context", "context") is { } context
                ? new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "Use this context: " + context } }] }
                : throw Ask(null, ("user_context", AskContext)));

    private static ValueTask<CallToolResult> Complete(string text) => ValueTask.FromResult(ConformanceJson.Text(text));

    private static InputRequiredException Ask(string? requestState, params (string Key, string RequestJson)[] asks) =>
        new(asks.ToDictionary(a => a.Key, a => ConformanceJson.Read<InputRequest>(a.RequestJson), StringComparer.Ordinal), requestState);

    private static string? Opened(SealedRequestState state, RequestParams? request) => state.Open(request?.RequestState);

    private static bool Has(RequestParams? request, string key) => Response(request, key) is { ValueKind: JsonValueKind.Object };

    private static JsonElement? Response(RequestParams? request, string key) =>
        request?.InputResponses is { } responses && responses.TryGetValue(key, out var response) ? response.RawValue : null;

    /// <summary>The string <paramref name="field"/> of an accepted elicitation under <paramref name="key"/>, else null.</summary>
    internal static string? Accepted(RequestParams? request, string key, string field) =>
        Response(request, key) is { ValueKind: JsonValueKind.Object } answer
        && answer.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String && action.GetString() == "accept"
        && answer.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
        && content.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The text a sampling answer under <paramref name="key"/> carries (one content block or several), else null.</summary>
    private static string? Sampled(RequestParams? request, string key)
    {
        if (Response(request, key) is not { ValueKind: JsonValueKind.Object } answer || !answer.TryGetProperty("content", out var content))
        {
            return null;
        }

        JsonElement[] blocks = content.ValueKind == JsonValueKind.Array ? [.. content.EnumerateArray()] : [content];
        return blocks
            .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            .Select(c => c.GetProperty("text").GetString())
            .FirstOrDefault();
    }

    private static string? Roots(RequestParams? request, string key) =>
        Response(request, key) is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("roots", out var roots) && roots.ValueKind == JsonValueKind.Array
            ? string.Join(",", roots.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("uri", out _)).Select(r => r.GetProperty("uri").ToString()))
            : null;
}

using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The 2025-11-25 suite exercises sampling, roots, logging and stateful sessions, which 2026-07-28 deprecates
// (SEP-2577, SEP-2567); this upstream serves both revisions on purpose.
#pragma warning disable MCP9005

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The conformance tools that talk back while they run: notifications on the request's own stream (logging,
/// progress), server-to-client requests (sampling, elicitation: on the POST stream in 2025-11-25, turned into
/// input_required results by the SDK in 2026-07-28), the SSE-polling reconnection, and the list-changed triggers
/// the 2026-07-28 subscriptions/listen checks call.
/// </summary>
internal static class ConformanceInteractionTools
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    public static IEnumerable<ConformanceTool> All(ConformanceUpstream upstream) =>
    [
        ConformanceTool.NoArguments("test_tool_with_logging", "Logs three messages while it runs", async (request, ct) =>
        {
            foreach (var (message, index) in new[] { "Tool execution started", "Tool processing data", "Tool execution completed" }.Select((m, i) => (m, i)))
            {
                if (index > 0)
                {
                    await Task.Delay(Step, ct);
                }

                await LogAsync(request.Server, message, ct);
            }

            return ConformanceJson.Text("Logging tool completed");
        }),

        // 2026-07-28: log notifications only when the request's _meta asked for a level (server-stateless).
        ConformanceTool.NoArguments("test_logging_tool", "Logs only when the request sets a log level", async (request, ct) =>
        {
            if (request.Server.LoggingLevel is not null)
            {
                await LogAsync(request.Server, "test_logging_tool ran", ct);
            }

            return ConformanceJson.Text("test_logging_tool completed");
        }),

        ConformanceTool.NoArguments("test_tool_with_progress", "Reports progress 0, 50, 100 of 100", async (request, ct) =>
        {
            foreach (var progress in new[] { 0f, 50f, 100f })
            {
                if (progress > 0)
                {
                    await Task.Delay(Step, ct);
                }

                if (request.Params?.ProgressToken is { } token)
                {
                    await request.Server.SendNotificationAsync(
                        NotificationMethods.ProgressNotification,
                        new ProgressNotificationParams { ProgressToken = token, Progress = new ProgressNotificationValue { Progress = progress, Total = 100 } },
                        cancellationToken: ct);
                }
            }

            return ConformanceJson.Text("Progress tool completed");
        }),

        ConformanceTool.Define("""
            {"name":"test_sampling","description":"Asks the client's LLM","inputSchema":{"type":"object","properties":{"prompt":{"type":"string"}},"required":["prompt"]}}
            """, async (request, ct) =>
        {
            var sampled = await request.Server.SampleAsync(
                new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = Argument(request, "prompt") }] }], MaxTokens = 100 },
                ct);
            return ConformanceJson.Text("LLM response: " + string.Concat(sampled.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        }),

        ConformanceTool.Define("""
            {"name":"test_elicitation","description":"Asks the user","inputSchema":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}}
            """, async (request, ct) =>
        {
            var elicit = ConformanceJson.Read<ElicitRequestParams>("""
                {"message":"","requestedSchema":{"type":"object","properties":{"username":{"type":"string","description":"User's response"},"email":{"type":"string","description":"User's email address"}},"required":["username","email"]}}
                """);
            elicit.Message = Argument(request, "message");
            var answer = await request.Server.ElicitAsync(elicit, ct);
            return ConformanceJson.Text($"User response: action={answer.Action}, content={JsonSerializer.Serialize(answer.Content, McpJsonUtilities.DefaultOptions)}");
        }),

        Elicits("test_elicitation_sep1034_defaults", """
            {"message":"Defaults for every primitive type","requestedSchema":{"type":"object","properties":{
              "name":{"type":"string","default":"John Doe"},
              "age":{"type":"integer","default":30},
              "score":{"type":"number","default":95.5},
              "status":{"type":"string","enum":["active","inactive","pending"],"default":"active"},
              "verified":{"type":"boolean","default":true}}}}
            """),

        Elicits("test_elicitation_sep1330_enums", """
            {"message":"Every enum variant","requestedSchema":{"type":"object","properties":{
              "untitledSingle":{"type":"string","enum":["option1","option2","option3"]},
              "titledSingle":{"type":"string","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},
              "legacyEnum":{"type":"string","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},
              "untitledMulti":{"type":"array","items":{"type":"string","enum":["option1","option2","option3"]}},
              "titledMulti":{"type":"array","items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}}}}}
            """),

        // 2026-07-28 server-stateless: an elicitation inside a stateless call must come back as input_required,
        // never as an independent request on the response stream.
        ConformanceTool.NoArguments("test_streaming_elicitation", "Elicits during a stateless call", async (request, ct) =>
        {
            var answer = await request.Server.ElicitAsync(ConformanceJson.Read<ElicitRequestParams>("""{"message":"Continue?","requestedSchema":{"type":"object","properties":{"ok":{"type":"boolean"}}}}"""), ct);
            return ConformanceJson.Text("elicitation " + answer.Action);
        }),

        // 2026-07-28 server-stateless: a tool that needs sampling refuses a client that did not declare it (-32021).
        ConformanceTool.NoArguments("test_missing_capability", "Needs the sampling capability", (request, _) =>
            request.Server.ClientCapabilities?.Sampling is null
                ? throw new MissingRequiredClientCapabilityException(new ClientCapabilities { Sampling = new() })
                : ValueTask.FromResult(ConformanceJson.Text("sampling declared"))),

        // SEP-1699 (server-sse-polling): the tool ends the SSE response early; the client reconnects for the result.
        ConformanceTool.NoArguments("test_reconnection", "Closes its stream mid-call", async (request, ct) =>
        {
            await request.EnablePollingAsync(TimeSpan.FromMilliseconds(100), ct);
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            return ConformanceJson.Text("Reconnection test completed");
        }),

        ConformanceTool.NoArguments("test_trigger_tool_change", "Changes the tool list", (_, _) =>
        {
            upstream.ToggleExtraTool();
            return ValueTask.FromResult(ConformanceJson.Text("tool list changed"));
        }),

        ConformanceTool.NoArguments("test_trigger_prompt_change", "Changes the prompt list", (_, _) =>
        {
            upstream.ToggleExtraPrompt();
            return ValueTask.FromResult(ConformanceJson.Text("prompt list changed"));
        }),
    ];

    private static ConformanceTool Elicits(string name, string elicitJson) =>
        ConformanceTool.NoArguments(name, "Elicits with the schema its scenario documents", async (request, ct) =>
        {
            var answer = await request.Server.ElicitAsync(ConformanceJson.Read<ElicitRequestParams>(elicitJson), ct);
            return ConformanceJson.Text($"Elicitation completed: action={answer.Action}, content={JsonSerializer.Serialize(answer.Content, McpJsonUtilities.DefaultOptions)}");
        });

    private static Task LogAsync(McpServer server, string message, CancellationToken ct) =>
        server.SendNotificationAsync(
            NotificationMethods.LoggingMessageNotification,
            new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Data = JsonSerializer.SerializeToElement(message, McpJsonUtilities.DefaultOptions) },
            cancellationToken: ct);

    private static string Argument(RequestContext<CallToolRequestParams> request, string name) =>
        request.Params?.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}

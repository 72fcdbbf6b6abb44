namespace McpGateway.Protocol;

/// <summary>MCP method names the gateway treats specially.</summary>
internal static class McpMethods
{
    public const string ToolsCall = "tools/call";
    public const string ToolsList = "tools/list";
    public const string Initialize = "initialize";
    public const string PromptsGet = "prompts/get";
    public const string ResourcesRead = "resources/read";
    public const string ResourcesSubscribe = "resources/subscribe";
    public const string ResourcesUnsubscribe = "resources/unsubscribe";
    public const string ResourcesList = "resources/list";
    public const string ResourceTemplatesList = "resources/templates/list";
    public const string PromptsList = "prompts/list";
    public const string CompletionComplete = "completion/complete";
    public const string TasksGet = "tasks/get";
    public const string TasksResult = "tasks/result";
    public const string TasksCancel = "tasks/cancel";
    public const string TasksUpdate = "tasks/update";
    public const string TasksList = "tasks/list";
    public const string ServerDiscover = "server/discover";
    public const string SubscriptionsListen = "subscriptions/listen";

    /// <summary>The methods whose <c>params.taskId</c> names a task the caller must own.</summary>
    public static bool NamesATask(string? method) => method is TasksGet or TasksUpdate or TasksResult or TasksCancel;
}

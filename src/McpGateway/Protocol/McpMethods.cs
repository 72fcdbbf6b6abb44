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

    public const string Ping = "ping";
    public const string LoggingSetLevel = "logging/setLevel";

    /// <summary>What every MCP notification's method starts with; nothing else is sent without an id.</summary>
    public const string NotificationPrefix = "notifications/";

    /// <summary>
    /// Requests a client sends that read or change nothing a policy section governs, so they pass under any
    /// <c>default</c>: the handshake and discovery, ping, lists (filtered on the way back), logging, and the ends of a
    /// subscription or a task listing. Every other method the gateway either judges or does not know.
    /// </summary>
    public static bool PassesUngoverned(string? method) => method is
        Initialize or Ping or ServerDiscover or ToolsList or ResourcesList or ResourceTemplatesList or PromptsList or
        LoggingSetLevel or ResourcesUnsubscribe or TasksList;

    /// <summary>The methods whose <c>params.taskId</c> names a task the caller must own.</summary>
    public static bool NamesATask(string? method) => method is TasksGet or TasksUpdate or TasksResult or TasksCancel;
}

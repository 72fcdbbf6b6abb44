namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// What the gateway answered to a hand-made request, read completely: the status, every header (response
/// and content headers, by case-insensitive name) and the body, with the one JSON-RPC message in it.
/// </summary>
internal sealed record RawReply(HttpStatusCode Status, IReadOnlyDictionary<string, string[]> Headers, string? MediaType, string Body)
{
    /// <summary>The JSON-RPC message of a JSON body, or the last one of an SSE body.</summary>
    public JsonElement Message
    {
        get
        {
            var json = string.Equals(MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)
                ? Body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).Last(l => l.Length > 0)
                : Body;
            return JsonDocument.Parse(json).RootElement.Clone();
        }
    }

    /// <summary>The JSON-RPC error code; fails the test when the body carries no error.</summary>
    public int ErrorCode => Message.GetProperty("error").GetProperty("code").GetInt32();

    public string ErrorMessage => Message.GetProperty("error").GetProperty("message").GetString()!;

    /// <summary>The gateway's policy details of a tool result (<c>result._meta["mcp-gateway/policy"]</c>).</summary>
    public JsonElement PolicyMeta => Message.GetProperty("result").GetProperty("_meta").GetProperty("mcp-gateway/policy");

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(", ", values) : null;
}

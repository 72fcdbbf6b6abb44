using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Wire objects written as the JSON the scenarios document, read with the SDK's own serializer options.</summary>
internal static class ConformanceJson
{
    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, McpJsonUtilities.DefaultOptions) ?? throw new ArgumentException("JSON for " + typeof(T).Name, nameof(json));

    public static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };
}

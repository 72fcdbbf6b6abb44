using System.Diagnostics;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The TypeScript MCP SDK client (<c>@modelcontextprotocol/sdk</c>), driven by <c>infra/node/client.mjs</c>:
/// it connects, lists tools, runs the given calls and prints one JSON object describing what happened.
/// </summary>
internal static class TypeScriptClient
{
    public static async Task<JsonElement> RunAsync(Uri url, string? token, JsonArray calls, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.NodeDir,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.NodeDir, "client.mjs"));
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(url.ToString());
        if (token is not null)
        {
            start.ArgumentList.Add("--token");
            start.ArgumentList.Add(token);
        }

        start.ArgumentList.Add("--calls");
        start.ArgumentList.Add(calls.ToJsonString());
        start.ArgumentList.Add("--terminate");
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout).Trim();
        if (output.Length == 0)
        {
            throw new InvalidOperationException($"client.mjs printed nothing (exit {process.ExitCode}): {await stderr}");
        }

        return JsonDocument.Parse(output.Split('\n').Last()).RootElement.Clone();
    }

    public static JsonArray Calls(params (string Name, object Arguments)[] calls) =>
        [.. calls.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["arguments"] = JsonSerializer.SerializeToNode(c.Arguments) })];
}

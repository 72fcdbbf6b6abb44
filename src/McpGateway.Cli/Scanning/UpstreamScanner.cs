using System.Text.Json;
using McpGateway.Catalog;
using McpGateway.Forwarding;
using McpGateway.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Cli.Scanning;

/// <summary>
/// Reads an upstream's tools as the gateway does (<see cref="UpstreamToolLister"/>: every page, the server's own
/// headers and SigV4 auth) and classifies every tool it lists, each definition of a repeated name too.
/// </summary>
internal static class UpstreamScanner
{
    public static async Task<ScanResult> ScanAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var list = await ListAsync(target, "mcpgw-scan", cancellationToken).ConfigureAwait(false);
        // Every definition, a repeated name each time: the table counts and shows what the server lists, and the
        // starter policy gives a repeated name no rule (which definition would a rule have been reviewed for?).
        var tools = new List<ScannedTool>(list.Listed.Length);
        foreach (var raw in list.Listed)
        {
            Tool tool;
            try
            {
                tool = raw.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool))) as Tool
                    ?? throw new ScanException($"{target.DisplayUrl} listed a tool that is null");
            }
            catch (JsonException ex)
            {
                throw new ScanException($"{target.DisplayUrl} listed a tool the MCP schema does not allow: {ex.Message.ReplaceLineEndings(" ")}");
            }

            tools.Add(new ScannedTool(tool, ToolClassifier.Classify(Definition(tool))));
        }

        return new ScanResult(list.ServerName, list.ServerVersion, list.ProtocolVersion, list.Pages, tools, [.. list.Duplicates.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Every page of the target's tools/list, raw; a failure is a <see cref="ScanException"/> with one line to print.</summary>
    public static async Task<UpstreamToolList> ListAsync(ScanTarget target, string clientName, CancellationToken cancellationToken)
    {
        // The gateway's own upstream client: no redirects (the headers carry credentials), SigV4 signing.
        using var upstream = new UpstreamClient();
        try
        {
            return await UpstreamToolLister.ListAsync(
                target.Server, upstream.Invoker, clientName, clientName, target.Timeout, cancellationToken,
                "check --header/--bearer or the server's configured headers").ConfigureAwait(false);
        }
        catch (ToolListException ex)
        {
            throw new ScanException(ex.Message);
        }
    }

    /// <summary>The definition the classifier reads, from the SDK's tool type.</summary>
    public static ToolDefinition Definition(Tool tool) => new(
        tool.Name,
        tool.Description,
        tool.InputSchema.ValueKind == JsonValueKind.Object ? tool.InputSchema : null,
        tool.Annotations is { } a ? new ToolHints(a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint) : null);
}

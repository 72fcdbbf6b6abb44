using System.Text.Json;
using McpGateway.Catalog;
using McpGateway.Policy;
using McpGateway.Tools;

namespace McpGateway.Enforcement;

/// <summary>
/// Checks a permitted <c>tools/call</c> against the tool's definition before anything is reserved or forwarded
/// (issue 15): on a pinned server the tool must be pinned and its current definition must match the pin; under
/// <c>validate_arguments</c> the arguments must meet its <c>inputSchema</c> (the pinned one where there is a pin,
/// since a matching definition is the pinned one). Definitions the gateway cannot read fail the call closed.
/// </summary>
internal sealed class ToolDefinitionCheck(ToolCatalog catalog, ArgumentSchemaCache schemas)
{
    /// <summary>True when <paramref name="decision"/> on <paramref name="scope"/>'s server needs a definition at all.</summary>
    public static bool Applies(RequestScope scope, PolicyDecision decision) =>
        scope.Server.ToolPins is not null || decision.ValidateArguments is not null;

    /// <summary>Null when the call may go on, else why not.</summary>
    public async ValueTask<Refusal?> CheckAsync(RequestScope scope, string tool, JsonElement arguments, PolicyDecision decision, CancellationToken cancellationToken)
    {
        var server = scope.Server;
        string? pinned = null;
        if (server.ToolPins is { } pins && !pins.TryGetValue(tool, out pinned))
        {
            return new Refusal(CallOutcome.ToolDrift, "tool_pins",
                $"tool \"{Short(tool)}\" is not pinned on server \"{server.Name}\"; an operator must pin it (mcpgw tools pin) before it can be called");
        }

        KnownTool? known;
        try
        {
            known = await catalog.FindAsync(server, tool, scope.Grant.Label, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolListException)
        {
            return new Refusal(CallOutcome.ToolsUnavailable, pinned is not null ? "tool_pins" : decision.ValidateArguments!,
                $"the gateway could not read the tool definitions of server \"{server.Name}\" to check this call against them, so it is refused (fail closed); retry later");
        }

        if (pinned is not null)
        {
            if (known is null)
            {
                return new Refusal(CallOutcome.ToolDrift, "tool_pins",
                    $"the pinned tool \"{Short(tool)}\" is no longer listed by server \"{server.Name}\"; an operator must re-pin it");
            }

            if (known.Fingerprint != pinned)
            {
                return new Refusal(CallOutcome.ToolDrift, "tool_pins",
                    $"the definition of \"{Short(tool)}\" changed since it was pinned; an operator must re-pin it (mcpgw tools pin) before it can be called");
            }
        }

        if (decision.ValidateArguments is not { } rule)
        {
            return null;
        }

        if (known is null)
        {
            return new Refusal(CallOutcome.Denied, rule,
                $"tool \"{Short(tool)}\" is not in the tools/list of server \"{server.Name}\", so its arguments cannot be checked against its inputSchema");
        }

        var failure = schemas.Check(server.Name, tool, known.SchemaHash, known.InputSchema, arguments);
        return failure is null ? null : new Refusal(CallOutcome.Denied, rule, failure);
    }

    /// <summary>The tool's listed definition, or null when the server does not list it or its tools cannot be read.</summary>
    public async ValueTask<KnownTool?> ListedAsync(RequestScope scope, string tool, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.FindAsync(scope.Server, tool, scope.Grant.Label, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolListException)
        {
            return null;
        }
    }

    /// <summary>True only when the server's tools could be read and do not include <paramref name="tool"/>.</summary>
    public async ValueTask<bool> IsUnlistedAsync(RequestScope scope, string tool, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.FindAsync(scope.Server, tool, scope.Grant.Label, cancellationToken).ConfigureAwait(false) is null;
        }
        catch (ToolListException)
        {
            return false;
        }
    }

    private static string Short(string tool) => tool.Length > 128 ? tool[..128] : tool;

    /// <summary>What the decision line records and the agent reads.</summary>
    internal sealed record Refusal(CallOutcome Outcome, string Rule, string Reason);
}

using System.Text.Json;
using McpGateway.Configuration;
using McpGateway.Tools;

namespace McpGateway.Catalog;

/// <summary>
/// Judges each tool of a <c>tools/list</c> the gateway relays from a pinned server (issue 15): a tool that is not
/// pinned, or whose definition no longer matches its pin, is left out of the list and audited. Every listed tool
/// of a server the catalog follows also refreshes the catalog's copy of its definition.
/// </summary>
internal sealed class ToolPinCheck(ToolCatalog catalog, ToolDriftAudit drift)
{
    /// <summary>True when the list may keep <paramref name="tool"/>, named <paramref name="name"/>.</summary>
    public bool Admits(ServerConfig server, string name, JsonElement tool)
    {
        if (server.ToolPins is not { } pins)
        {
            return true;
        }

        var fingerprint = ToolFingerprint.Of(tool);
        catalog.Observe(server, name, tool, fingerprint);
        var pinned = pins.GetValueOrDefault(name);
        if (pinned == fingerprint)
        {
            return true;
        }

        drift.Report(server.Name, name, pinned, fingerprint);
        return false;
    }
}

using System.Collections.Frozen;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Catalog;
using McpGateway.Cli.Output;
using McpGateway.Cli.ParameterStore;
using McpGateway.Cli.Pinning;
using McpGateway.Cli.Scanning;
using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary>
/// <c>mcpgw tools pin</c> and <c>mcpgw tools diff</c> (issue 15): record the SHA-256 of each tool definition a
/// server lists in its entry's <c>tool_pins</c>, and show how the server's tools drifted from those pins. The
/// gateway lists and forwards only tools whose definition matches its pin.
/// </summary>
internal static class ToolsCommands
{
    public const int Done = 0;
    public const int ConfigurationProblem = 1;

    /// <summary><c>tools diff</c> found drift (like <c>diff</c> and <c>git diff --exit-code</c>, a result, not a failure).</summary>
    public const int DriftFound = 2;

    public const int UpstreamUnavailable = 69;

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var tools = new Command("tools", "Pin the tool definitions of a configured server, and show how its tools drifted from their pins.");
        tools.Subcommands.Add(Build(parameterStore, write: true));
        tools.Subcommands.Add(Build(parameterStore, write: false));
        return tools;
    }

    private static Command Build(ParameterStoreAccess parameterStore, bool write)
    {
        var server = new Option<string>("--server") { Description = "The configured server whose tools to read.", HelpName = "NAME", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "The gateway's configuration file holding --server.", HelpName = "FILE" };
        var prefix = ParameterPrefix.CreateOption(
            $"Read --server from Parameter Store, <PATH>/servers/<NAME> (Gateway:Ssm:Prefix). Without PATH: {ParameterPrefix.Default}.",
            defaultWhenAbsent: false);
        var only = new Option<string[]>("--tool")
        {
            Description = write ? "Pin only this tool (repeat for more); other pins stay as they are." : "Compare only this tool (repeat for more).",
            HelpName = "TOOL",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format") { Description = "table (default) or json.", HelpName = "FORMAT", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var timeout = SecondsOption.Create("How long reading the tools may take (default 30).", defaultSeconds: 30, atMost: SecondsOption.LongestRead);

        var command = write
            ? new Command("pin", $"Read the server's tools/list (every page, with the server's own headers and auth) and write the SHA-256 of each tool's definition to its entry's tool_pins. Exit {Done} pinned; {ConfigurationProblem} the entry cannot be read or written; {UpstreamUnavailable} the server cannot be read; {CliApp.UsageError} usage error.")
            : new Command("diff", $"Show how the server's tools drifted from their pins, without writing. Exit {Done} no drift; {DriftFound} drift found; {ConfigurationProblem} the entry cannot be read; {UpstreamUnavailable} the server cannot be read; {CliApp.UsageError} usage error.");
        command.Options.Add(server);
        command.Options.Add(config);
        command.Options.Add(prefix);
        command.Options.Add(only);
        command.Options.Add(format);
        command.Options.Add(timeout);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(config) is not null) == (result.GetResult(prefix) is { Implicit: false }))
            {
                result.AddError("give exactly one of --config FILE or --prefix PATH: where the gateway reads its configuration");
            }

            foreach (var tool in result.GetValue(only) ?? [])
            {
                if (!ToolName.IsValid(tool))
                {
                    result.AddError($"--tool \"{tool}\" is invalid: {ToolName.Rule}");
                }
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var name = result.GetRequiredValue(server);
            var location = result.GetValue(config) is { } file
                ? ServerEntryLocation.FromFile(file, name, error)
                : await ServerEntryLocation.FromParameterStoreAsync(parameterStore, result.GetRequiredValue(prefix), name, error, cancellationToken).ConfigureAwait(false);
            if (location is null)
            {
                return ConfigurationProblem;
            }

            var target = new ScanTarget(location.Server, TimeSpan.FromSeconds(result.GetValue(timeout)));
            UpstreamToolList list;
            try
            {
                list = await UpstreamScanner.ListAsync(target, "mcpgw-tools", cancellationToken).ConfigureAwait(false);
            }
            catch (ScanException ex)
            {
                error.WriteLine(ex.Message);
                return UpstreamUnavailable;
            }

            // The gateway reads no pin for a name it refuses, so such a tool can never be pinned: it stays hidden and
            // refused. Left in, one bad name failed the whole pin (the entry check refused it) and was drift for ever.
            var listed = ToolDrift.Listed(list.Tools);
            foreach (var invalid in listed.Where(t => !ToolName.IsValid(t.Name)))
            {
                error.WriteLine($"tool {ScanReport.Printable(ToolDrift.Short(invalid.Name, 64))} is not pinned: its name is invalid ({ToolName.Rule}), so the gateway hides it and refuses its calls");
            }

            listed = [.. listed.Where(t => ToolName.IsValid(t.Name))];
            var selected = result.GetValue(only) is { Length: > 0 } named ? named.ToHashSet(StringComparer.Ordinal) : null;
            if (write && selected is not null && selected.FirstOrDefault(t => listed.All(l => l.Name != t)) is { } missing)
            {
                error.WriteLine($"server \"{name}\" does not list a tool \"{missing}\"; nothing was pinned");
                return ConfigurationProblem;
            }

            var drift = ToolDrift.Between(location.Server.ToolPins, listed, selected);
            var json = result.GetValue(format) == "json";
            if (!write)
            {
                if (json)
                {
                    output.WriteLine(Json(name, target.DisplayUrl, drift, null));
                }
                else
                {
                    WriteDrift(output, name, target.DisplayUrl, location.Server.ToolPins is null, drift);
                }

                return drift.Any ? DriftFound : Done;
            }

            var pins = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (tool, pin) in location.Server.ToolPins ?? FrozenDictionary<string, string>.Empty)
            {
                if (selected is not null && !selected.Contains(tool))
                {
                    pins[tool] = pin;
                }
            }

            foreach (var tool in listed.Where(t => selected is null || selected.Contains(t.Name)))
            {
                pins[tool.Name] = tool.Fingerprint;
            }

            var entry = (JsonObject)location.Entry.DeepClone();
            entry["tool_pins"] = new JsonObject(pins.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            if (await location.WriteAsync(entry, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                error.WriteLine(problem);
                return ConfigurationProblem;
            }

            if (json)
            {
                output.WriteLine(Json(name, target.DisplayUrl, drift, pins));
                return Done;
            }

            var pinnedNow = listed.Where(t => selected is null || selected.Contains(t.Name)).ToList();
            output.WriteLine($"Pinned {pinnedNow.Count} tool(s) of server \"{name}\" at {target.DisplayUrl} in {location.Where}:");
            foreach (var tool in pinnedNow.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                output.WriteLine($"  {tool.Name}  {tool.Fingerprint}");
            }

            WriteDrift(output, name, target.DisplayUrl, location.Server.ToolPins is null, drift, sinceLastPin: true);
            return Done;
        });
        return command;
    }

    private static void WriteDrift(TextWriter output, string server, string url, bool neverPinned, ToolDrift drift, bool sinceLastPin = false)
    {
        if (neverPinned)
        {
            output.WriteLine(sinceLastPin
                ? $"Server \"{server}\" had no pins before."
                : $"Server \"{server}\" at {url} has no tool_pins: the gateway does not check its tools. Every listed tool is new to a pin:");
            if (sinceLastPin)
            {
                return;
            }
        }
        else if (!drift.Any)
        {
            output.WriteLine(sinceLastPin
                ? "Nothing changed since the last pin."
                : $"Server \"{server}\" at {url}: every compared tool matches its pin ({drift.Unchanged.Count}).");
            return;
        }
        else
        {
            output.WriteLine(sinceLastPin
                ? $"Since the last pin: {drift.Added.Count} added, {drift.Removed.Count} removed, {drift.Changed.Count} changed."
                : $"Server \"{server}\" at {url}: {drift.Added.Count} added, {drift.Removed.Count} removed, {drift.Changed.Count} changed since the pins; the gateway hides and refuses these tools until they are pinned again.");
        }

        foreach (var tool in drift.Added)
        {
            output.WriteLine($"  added    {tool.Name}: {ToolDrift.Short(tool.Description)}");
        }

        foreach (var tool in drift.Removed)
        {
            output.WriteLine($"  removed  {tool}");
        }

        foreach (var tool in drift.Changed)
        {
            output.WriteLine($"  changed  {tool.Name}: pinned {tool.Pinned[..19]}..., now {tool.Seen[..19]}...; description now {ToolDrift.Short(tool.Description)}");
        }
    }

    private static string Json(string server, string url, ToolDrift drift, IReadOnlyDictionary<string, string>? pins)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("server", server);
            writer.WriteString("url", url);
            writer.WriteStartArray("added");
            foreach (var tool in drift.Added)
            {
                writer.WriteStartObject();
                writer.WriteString("tool", tool.Name);
                writer.WriteString("seen", tool.Fingerprint);
                writer.WriteString("description", tool.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("removed");
            foreach (var tool in drift.Removed)
            {
                writer.WriteStringValue(tool);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("changed");
            foreach (var tool in drift.Changed)
            {
                writer.WriteStartObject();
                writer.WriteString("tool", tool.Name);
                writer.WriteString("pinned", tool.Pinned);
                writer.WriteString("seen", tool.Seen);
                writer.WriteString("description", tool.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("unchanged");
            foreach (var tool in drift.Unchanged)
            {
                writer.WriteStringValue(tool);
            }

            writer.WriteEndArray();
            if (pins is not null)
            {
                writer.WriteStartObject("tool_pins");
                foreach (var (tool, pin) in pins)
                {
                    writer.WriteString(tool, pin);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Aws;
using McpGateway.Cli.Output;
using McpGateway.Cli.ParameterStore;
using McpGateway.Cli.Scanning;
using McpGateway.Configuration;
using McpGateway.Tools;

namespace McpGateway.Cli.Commands;

/// <summary>
/// <c>mcpgw scan</c>: lists an upstream's tools as an MCP client, classifies each (read, write, execute,
/// destructive, financial) and prints a table, JSON, or a starter policy.
/// </summary>
internal static class ScanCommand
{
    public const int Scanned = 0;

    /// <summary>The configuration named no usable server (file unreadable, entry missing or invalid, Parameter Store failed).</summary>
    public const int ConfigurationProblem = 1;

    /// <summary>The upstream could not be scanned: unreachable, refused the credentials, or not an MCP server (sysexits EX_UNAVAILABLE).</summary>
    public const int UpstreamUnavailable = 69;

    /// <summary>The name the command-line upstream goes by when its entry is checked like a configured one.</summary>
    private const string CommandLineServer = "command-line";

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var url = new Option<string?>("--url") { Description = "The upstream's MCP endpoint (http or https).", HelpName = "URL" };
        var headers = new Option<string[]>("--header")
        {
            Description = "A header sent with every request, as \"NAME: VALUE\"; repeat for more. With --url only. Values are never printed.",
            HelpName = "NAME: VALUE",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var bearer = new Option<string?>("--bearer") { Description = "Send Authorization: Bearer TOKEN. With --url only.", HelpName = "TOKEN" };
        var server = new Option<string?>("--server") { Description = "Scan a configured server (its URL and headers), read from --config or --prefix.", HelpName = "NAME" };
        var config = new Option<FileInfo?>("--config") { Description = "The gateway's configuration file holding --server.", HelpName = "FILE" };
        var prefix = ParameterPrefix.CreateOption(
            $"Read --server from Parameter Store, <PATH>/servers/<NAME> (Gateway:Ssm:Prefix). Without PATH: {ParameterPrefix.Default}.",
            defaultWhenAbsent: false);
        var format = new Option<string>("--format") { Description = "table (default), json, or policy (a starter policy document).", HelpName = "FORMAT", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "policy");
        var riskAtMost = new Option<string?>("--risk-at-most")
        {
            Description = "low, medium, high or critical: leave out tools above this risk (table, json); hide them (policy).",
            HelpName = "LEVEL",
        };
        riskAtMost.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var timeout = SecondsOption.Create("How long the whole scan may take (default 30).", defaultSeconds: 30, atMost: SecondsOption.LongestRead);

        var command = new Command(
            "scan",
            "Connect to an MCP server, list its tools, and classify each one (read/low, write/medium, execute/high, destructive or "
            + $"financial/critical). Exit {Scanned} scanned; {ConfigurationProblem} the configured server cannot be read; "
            + $"{UpstreamUnavailable} the upstream cannot be scanned (unreachable, refused, not MCP); {CliApp.UsageError} usage error.")
        {
            url, headers, bearer, server, config, prefix, format, riskAtMost, timeout,
        };

        command.Validators.Add(result =>
        {
            var byUrl = result.GetResult(url) is not null;
            var byServer = result.GetResult(server) is not null;
            var fromFile = result.GetResult(config) is not null;
            var fromStore = result.GetResult(prefix) is { Implicit: false };
            if (byUrl == byServer)
            {
                result.AddError("give either --url URL or --server NAME (with --config FILE or --prefix PATH)");
            }
            else if (byServer && fromFile == fromStore)
            {
                result.AddError("--server needs exactly one of --config FILE or --prefix PATH: where the gateway reads its configuration");
            }
            else if (byUrl && (fromFile || fromStore))
            {
                result.AddError("--config and --prefix go with --server, not with --url");
            }
            else if (byServer && (result.GetResult(headers) is not null || result.GetResult(bearer) is not null))
            {
                result.AddError("--header and --bearer go with --url; --server uses the headers configured for the server");
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var deadline = TimeSpan.FromSeconds(result.GetValue(timeout));
            ToolRisk? ceiling = ToolClassNames.TryParseRisk(result.GetValue(riskAtMost), out var level) ? level : null;

            ScanTarget? target;
            if (result.GetValue(url) is { } address)
            {
                target = FromCommandLine(address, result.GetValue(headers) ?? [], result.GetValue(bearer), deadline, error);
                if (target is null)
                {
                    return CliApp.UsageError;
                }
            }
            else
            {
                var name = result.GetRequiredValue(server)!;
                target = result.GetValue(config) is { } file
                    ? FromFile(file, name, deadline, error)
                    : await FromParameterStore(parameterStore, result.GetRequiredValue(prefix), name, deadline, error, cancellationToken).ConfigureAwait(false);
                if (target is null)
                {
                    return ConfigurationProblem;
                }
            }

            ScanResult scan;
            try
            {
                scan = await UpstreamScanner.ScanAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (ScanException ex)
            {
                error.WriteLine(ex.Message);
                return UpstreamUnavailable;
            }

            foreach (var repeated in scan.Duplicates)
            {
                var times = scan.Tools.Count(t => t.Tool.Name == repeated);
                error.WriteLine($"the upstream lists tool \"{ScanReport.Printable(repeated)}\" {times} times; every definition is classified, and a starter policy gives it no rule");
            }

            var shown = scan.Tools.Where(t => ceiling is null || t.Classification.Risk <= ceiling).ToList();
            var omitted = scan.Tools.Count - shown.Count;
            switch (result.GetValue(format))
            {
                case "json":
                    output.WriteLine(JsonSerializer.Serialize(ScanReport.From(scan, target, shown, omitted, ceiling is not null), ScanJsonContext.Relaxed.ScanReport));
                    break;
                case "policy":
                    var policy = StarterPolicy.Build([.. scan.Tools.Select(t => t.Classification)], ceiling, out var skipped);
                    output.WriteLine(Encoding.UTF8.GetString(policy));
                    foreach (var name in skipped)
                    {
                        var why = scan.Duplicates.Contains(name, StringComparer.Ordinal)
                            ? "the upstream lists it more than once"
                            : "its name is not 1-128 characters of A-Z a-z 0-9 _ . -";
                        error.WriteLine($"tool \"{ScanReport.Printable(name)}\" has no rule: {why}, so the default deny applies");
                    }

                    break;
                default:
                    ScanReport.WriteTable(output, scan, target, shown, omitted, ceiling);
                    break;
            }

            return Scanned;
        });
        return command;
    }

    /// <summary>
    /// <c>--header "NAME: VALUE"</c> and <c>--bearer</c>, checked by the gateway's own reading of a server entry,
    /// so a scan sends nothing the gateway would refuse to send. Values never appear in a message.
    /// </summary>
    private static ScanTarget? FromCommandLine(string url, string[] headers, string? bearer, TimeSpan timeout, TextWriter error)
    {
        var entries = new JsonObject();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var headerName = colon > 0 ? header[..colon].Trim() : "";
            if (headerName.Length == 0)
            {
                error.WriteLine("--header must be \"NAME: VALUE\", e.g. --header \"X-Api-Key: ...\"");
                return null;
            }

            if (entries.Any(h => string.Equals(h.Key, headerName, StringComparison.OrdinalIgnoreCase)))
            {
                error.WriteLine($"--header {headerName} is given twice");
                return null;
            }

            entries[headerName] = header[(colon + 1)..].Trim();
        }

        if (bearer is not null)
        {
            if (entries.Any(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                error.WriteLine("--bearer sets the Authorization header; do not give it with --header as well");
                return null;
            }

            entries["Authorization"] = "Bearer " + bearer;
        }

        var entry = new JsonObject { ["url"] = url, ["headers"] = entries };
        try
        {
            var parsed = ConfigEntryParser.ParseServer(CommandLineServer, Encoding.UTF8.GetBytes(entry.ToJsonString()));
            return new ScanTarget(parsed, timeout);
        }
        catch (ConfigException ex)
        {
            // The gateway's message names the entry; on the command line the options are what the user wrote.
            var message = ex.Message.Replace($"server \"{CommandLineServer}\": ", "", StringComparison.Ordinal);
            error.WriteLine(message.StartsWith("header ", StringComparison.Ordinal) || message.StartsWith("url ", StringComparison.Ordinal) ? "--" + message : message);
            return null;
        }
    }

    private static ScanTarget? FromFile(FileInfo file, string name, TimeSpan timeout, TextWriter error)
    {
        GatewaySnapshot snapshot;
        var problems = new List<string>();
        try
        {
            snapshot = ConfigFileLoader.Load(file.FullName, problems.Add);
        }
        catch (ConfigException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }

        if (snapshot.Servers.TryGetValue(name, out var entry))
        {
            return new ScanTarget(entry, timeout);
        }

        // The loader leaves a broken entry out and reports it; say why this one is missing when that is the cause.
        var broken = problems.FirstOrDefault(p => p.StartsWith($"server \"{name}\"", StringComparison.Ordinal));
        error.WriteLine(broken is not null
            ? $"{file.FullName}: {broken}"
            : $"{file.FullName} has no server \"{name}\"{(snapshot.Servers.Count > 0 ? $" (it has {string.Join(", ", snapshot.Servers.Keys.Order(StringComparer.Ordinal))})" : "")}");
        return null;
    }

    private static async Task<ScanTarget?> FromParameterStore(ParameterStoreAccess parameterStore, string prefix, string name, TimeSpan timeout, TextWriter error, CancellationToken cancellationToken)
    {
        if (!ConfigEntryParser.IsValidName(name))
        {
            error.WriteLine($"--server \"{name}\" is invalid: {McpGateway.Policy.ToolName.Rule}");
            return null;
        }

        var parameterName = ParameterPrefix.EntryName(prefix, ConfigEntryKind.Server, name);
        using var client = parameterStore.Connect(error);
        if (client is null)
        {
            return null;
        }

        // Decrypted: an entry with headers is stored as a SecureString, and the gateway reads it the same way.
        var read = await client.GetParameterAsync(parameterName, withDecryption: true, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            error.WriteLine(read.Error == SsmError.NotFound
                ? $"no server \"{name}\": {parameterName} does not exist in Parameter Store"
                : ParameterStoreAccess.Describe(read.Error, read.Message, parameterName));
            return null;
        }

        try
        {
            var entry = ConfigEntryParser.ParseServer(name, Encoding.UTF8.GetBytes(read.Value!.Value));
            return new ScanTarget(entry, timeout);
        }
        catch (ConfigException ex)
        {
            error.WriteLine($"{parameterName}: {ex.Message}");
            return null;
        }
    }
}

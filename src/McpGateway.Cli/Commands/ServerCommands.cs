using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw servers add</c>: stores an upstream MCP server entry in Parameter Store.</summary>
internal static class ServerCommands
{
    public const int Stored = 0;
    public const int NotStored = 1;

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var servers = new Command("servers", "Store the upstream MCP servers grants give access to.");
        servers.Subcommands.Add(CreateAdd(parameterStore));
        return servers;
    }

    private static Command CreateAdd(ParameterStoreAccess parameterStore)
    {
        var name = new Argument<string>("NAME") { Description = "The server's name: grants refer to it and clients reach it at /mcp/<NAME>." }
            .AcceptOnlyEntryNames("server");
        var url = new Option<string>("--url") { Description = "The upstream's MCP endpoint (http or https, no credentials in it).", HelpName = "URL", Required = true };
        var headers = new Option<string[]>("--header")
        {
            Description = "A header added to every upstream request, as NAME=VALUE; repeat for more. Any header makes the parameter a SecureString. Values are never printed.",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = SecondsOption.Create("How long to wait for the upstream's response headers (default 60, at most 900).");
        var sigv4 = new Option<bool>("--aws-sigv4") { Description = "Sign every request to the upstream with AWS SigV4 as the gateway's role (AWS-hosted MCP servers: ecs-mcp, eks-mcp, aws-mcp)." };
        var service = new Option<string?>("--service") { Description = "SigV4 signing service; inferred from a <service>.<region>.api.aws host.", HelpName = "S" };
        var region = new Option<string?>("--region") { Description = "SigV4 signing region; inferred from a <service>.<region>.api.aws host.", HelpName = "R" };
        var roleArn = new Option<string?>("--role-arn") { Description = "Sign as a per-grant session of this IAM role (session name and tag mcpgw-grant = the grant's label).", HelpName = "ARN" };
        var prefix = ParameterPrefix.CreateOption(ParameterPrefix.Description);
        var command = new Command(
            "add",
            "Validate a server entry and store it as <prefix>/servers/<NAME>, overwriting: a SecureString when it has headers "
            + "(they usually hold credentials), a String otherwise. Exit 0 stored; 1 invalid or not stored; 64 usage error.")
        {
            name, url, headers, timeout, sigv4, service, region, roleArn, prefix,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var serverName = result.GetRequiredValue(name);
            var parameterName = ParameterPrefix.EntryName(result.GetRequiredValue(prefix), ConfigEntryKind.Server, serverName);

            var headerEntries = new JsonObject();
            foreach (var header in result.GetValue(headers) ?? [])
            {
                var equals = header.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    // Only the part before '=' could be a name; never echo what may be a secret.
                    error.WriteLine("--header must be NAME=VALUE, e.g. --header X-Api-Key=...");
                    return CliApp.UsageError;
                }

                var headerName = header[..equals];
                if (headerEntries.Any(h => string.Equals(h.Key, headerName, StringComparison.OrdinalIgnoreCase)))
                {
                    error.WriteLine($"--header {headerName} is given twice");
                    return CliApp.UsageError;
                }

                headerEntries[headerName] = header[(equals + 1)..];
            }

            var entry = new JsonObject { ["url"] = result.GetRequiredValue(url) };
            if (headerEntries.Count > 0)
            {
                entry["headers"] = headerEntries;
            }

            // The range is the entry's: the gateway's reader of entries checks it below.
            if (result.GetResult(timeout) is not null)
            {
                entry["timeout_seconds"] = result.GetValue(timeout);
            }

            var signing = result.GetValue(sigv4);
            if (!signing && (result.GetValue(service) ?? result.GetValue(region) ?? result.GetValue(roleArn)) is not null)
            {
                error.WriteLine("--service, --region and --role-arn apply only with --aws-sigv4");
                return CliApp.UsageError;
            }

            if (signing)
            {
                var auth = new JsonObject { ["type"] = UpstreamAuthParser.SigV4Type };
                if (result.GetValue(service) is { } signingService)
                {
                    auth["service"] = signingService;
                }

                if (result.GetValue(region) is { } signingRegion)
                {
                    auth["region"] = signingRegion;
                }

                if (result.GetValue(roleArn) is { } role)
                {
                    auth["role_arn"] = role;
                }

                entry["auth"] = auth;
            }

            var value = entry.ToJsonString();
            ServerConfig server;
            try
            {
                // The gateway's own reading of the entry: what it would refuse is refused here, before writing.
                server = ConfigEntryParser.ParseServer(serverName, Encoding.UTF8.GetBytes(value));
            }
            catch (ConfigException ex)
            {
                error.WriteLine($"{ex.Message}. Nothing was written to {parameterName}.");
                return NotStored;
            }

            if (ParameterWriter.TierFor(Encoding.UTF8.GetByteCount(value)) is null)
            {
                error.WriteLine($"server \"{serverName}\": the entry is over {ParameterWriter.AdvancedMaxBytes} bytes, more than a parameter holds; shorten the headers. Nothing was written to {parameterName}.");
                return NotStored;
            }

            using var client = parameterStore.Connect(error);
            if (client is null)
            {
                return NotStored;
            }

            var secure = server.Headers.Count > 0;
            var stored = await ParameterWriter.PutAsync(client, parameterName, value, secure, overwrite: true, cancellationToken).ConfigureAwait(false);
            if (!stored.IsSuccess)
            {
                error.WriteLine(ParameterStoreAccess.Describe(stored.Error, stored.Message, parameterName));
                return NotStored;
            }

            var parameter = stored.Value!;
            output.WriteLine($"Server \"{serverName}\" stored.");
            output.WriteLine($"Parameter: {parameter.Name}");
            output.WriteLine($"Version:   {parameter.Version}");
            output.WriteLine($"Type:      {(secure ? "SecureString (it has headers; encrypted with the account's default key for Parameter Store)" : "String")}");
            output.WriteLine($"Tier:      {parameter.DescribeTier()}");
            output.WriteLine($"Url:       {server.Url.GetLeftPart(UriPartial.Path)}{(server.Url.Query.Length > 0 ? " (query not shown)" : "")}");
            output.WriteLine($"Timeout:   {server.Timeout.TotalSeconds} s");
            if (server.Auth is { } signed)
            {
                output.WriteLine($"Signing:   AWS SigV4, service {signed.Service}, region {signed.Region}, as {signed.RoleArn ?? "the gateway's own role"}{(signed.RoleArn is null ? "" : " (one session per grant)")}");
            }

            if (secure)
            {
                output.WriteLine($"Headers:   {string.Join(", ", server.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase))} (values not shown)");
            }

            return Stored;
        });
        return command;
    }
}

using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Aws;
using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw grants create</c>: mints a grant token and records only its hash (in a file or in Parameter Store).</summary>
internal static class GrantCommands
{
    /// <summary>Prefix that makes tokens recognisable to secret scanners and to people.</summary>
    public const string TokenPrefix = "mcpgw_";

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var grants = new Command("grants", "Create grants: the tokens agents use to reach one server under one policy.");
        grants.Subcommands.Add(CreateCreate(parameterStore));
        return grants;
    }

    /// <summary>A new token: 32 random bytes (256 bits) from the OS generator, base64url, with a prefix.</summary>
    public static string NewToken() => TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static Command CreateCreate(ParameterStoreAccess parameterStore)
    {
        var label = new Option<string>("--label") { Description = "Name of the grant (shows in decision logs).", Required = true };
        var server = new Option<string>("--server") { Description = "The server the grant gives access to.", Required = true };
        var policy = new Option<string>("--policy") { Description = "The policy the grant's calls are checked against.", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "Local configuration file to record the grant in (its hash only). Without it or --prefix, the entry is printed." };
        var prefix = ParameterPrefix.CreateOption(
            $"Store the grant in Parameter Store as the String parameter <PATH>/grants/<label> (its hash only), never overwriting one. "
            + $"Without PATH: {ParameterPrefix.Default}. Not with --config.",
            defaultWhenAbsent: false);
        var tokenOnly = new Option<bool>("--token-only") { Description = "Print only the token (for scripts)." };
        var command = new Command("create", "Mint a grant token, print it once, and record only its SHA-256.") { label, server, policy, config, prefix, tokenOnly };

        // One grant, one source: the gateway reads either a file or Parameter Store (Gateway:Ssm:Prefix), never both.
        command.Validators.Add(result =>
        {
            if (result.GetResult(config) is not null && IsGiven(result.GetResult(prefix)))
            {
                result.AddError("--config and --prefix cannot be used together: record the grant where the gateway reads its configuration");
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var name = result.GetRequiredValue(label);
            var serverName = result.GetRequiredValue(server);
            var policyName = result.GetRequiredValue(policy);
            foreach (var (what, value) in new[] { ("label", name), ("server", serverName), ("policy", policyName) })
            {
                if (!ConfigEntryParser.IsValidName(value))
                {
                    error.WriteLine($"--{what} \"{value}\" is invalid: {McpGateway.Policy.ToolName.Rule}");
                    return CliApp.UsageError;
                }
            }

            var token = NewToken();
            var entry = new JsonObject
            {
                ["token_sha256"] = TokenHash.Of(token),
                ["server"] = serverName,
                ["policy"] = policyName,
            };

            if (result.GetValue(config) is { } file)
            {
                if (ConfigFileEditor.AddEntry(file, "grants", name, entry) is { } problem)
                {
                    error.WriteLine(problem);
                    return 1;
                }
            }

            StoredParameter? stored = null;
            if (IsGiven(result.GetResult(prefix)))
            {
                // The token is printed only once it is stored: a token whose hash is nowhere is no use to anyone.
                var parameterName = ParameterPrefix.EntryName(result.GetRequiredValue(prefix), ConfigEntryKind.Grant, name);
                stored = await Store(parameterStore, parameterName, name, entry, error, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    return 1;
                }
            }

            if (result.GetValue(tokenOnly))
            {
                output.WriteLine(token);
                return 0;
            }

            output.WriteLine($"Grant \"{name}\" for server \"{serverName}\" under policy \"{policyName}\".");
            output.WriteLine("Token (shown once; only its SHA-256 is stored):");
            output.WriteLine(token);
            if (result.GetValue(config) is { } recorded)
            {
                output.WriteLine($"Recorded in {recorded.FullName}.");
            }
            else if (stored is not null)
            {
                output.WriteLine($"Stored in Parameter Store: {stored.Name} (version {stored.Version}, String, {stored.Tier} tier).");
            }
            else
            {
                output.WriteLine("Add this entry under \"grants\" in the gateway's configuration:");
                output.WriteLine(new JsonObject { [name] = entry }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        });
        return command;
    }

    private static bool IsGiven(System.CommandLine.Parsing.OptionResult? option) => option is { Implicit: false };

    /// <summary>
    /// Writes the entry without overwriting: like ConfigFileEditor.AddEntry refusing a label the file has, an existing
    /// grant is never replaced, since that would silently revoke the token its holder has.
    /// </summary>
    private static async Task<StoredParameter?> Store(
        ParameterStoreAccess parameterStore, string parameterName, string label, JsonObject entry, TextWriter error, CancellationToken cancellationToken)
    {
        using var client = parameterStore.Connect(error);
        if (client is null)
        {
            return null;
        }

        var stored = await ParameterWriter.PutAsync(client, parameterName, entry.ToJsonString(), secure: false, overwrite: false, cancellationToken).ConfigureAwait(false);
        if (stored.IsSuccess)
        {
            return stored.Value;
        }

        error.WriteLine(stored.Error == SsmError.AlreadyExists
            ? $"grant \"{label}\" exists already ({parameterName}); choose another label, or revoke it first with aws ssm delete-parameter --name {parameterName}"
            : ParameterStoreAccess.Describe(stored.Error, stored.Message, parameterName));
        return null;
    }
}

using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using McpGateway.Aws;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw admins create</c>: mints an approver credential and records only its hash.</summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admins = new Command("admins", "Create approvers: credentials for the admin API, distinct from grant tokens.");
        var name = new Option<string>("--name") { Description = "The approver's name (shows in the audit log).", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "Local configuration file to record the approver in (its hash only)." };
        var prefix = new Option<string?>("--prefix") { Description = "Parameter Store prefix to write <prefix>/admins/<name> under (AWS settings as for the gateway)." };
        var create = new Command("create", "Mint an admin credential, print it once, and record only its SHA-256.") { name, config, prefix };
        create.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var adminName = result.GetRequiredValue(name);
            if (!ConfigEntryParser.IsValidName(adminName))
            {
                error.WriteLine($"--name \"{adminName}\" is invalid: {McpGateway.Policy.ToolName.Rule}");
                return CliApp.UsageError;
            }

            var token = "mcpgw_admin_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var entry = new JsonObject { ["token_sha256"] = TokenHash.Of(token) };
            if (result.GetValue(config) is { } file && ConfigFileEditor.AddEntry(file, "admins", adminName, entry) is { } problem)
            {
                error.WriteLine(problem);
                return 1;
            }

            if (result.GetValue(prefix) is { } parameterPrefix)
            {
                using var ssm = ParameterStoreClient.FromEnvironment();
                var parameter = ConfigEntryKinds.ParameterName("/" + parameterPrefix.Trim('/'), ConfigEntryKind.Admin, adminName);
                var put = await ssm.PutParameterAsync(parameter, entry.ToJsonString(), secure: false, advanced: false, cancellationToken);
                if (!put.IsSuccess)
                {
                    error.WriteLine($"{parameter}: {put.Message}");
                    return 1;
                }
            }

            output.WriteLine($"Admin \"{adminName}\". Credential (shown once; only its SHA-256 is stored):");
            output.WriteLine(token);
            if (result.GetValue(config) is null && result.GetValue(prefix) is null)
            {
                output.WriteLine("Add this entry under \"admins\" in the gateway's configuration:");
                output.WriteLine(new JsonObject { [adminName] = entry }.ToJsonString());
            }

            return 0;
        });
        admins.Subcommands.Add(create);
        return admins;
    }
}

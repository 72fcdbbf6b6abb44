using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using McpGateway.Aws;
using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;
using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw policy pull NAME [--prefix P]</c>: print the stored policy, indented, to edit and push back.</summary>
internal static class PolicyPullCommand
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // Printed for a person, not embedded in HTML: keep regex patterns such as "^(?!main$)" and
        // non-ASCII text readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var name = new Argument<string>("NAME") { Description = "The policy's name (the parameter <prefix>/policies/<NAME>)." }
            .AcceptOnlyEntryNames("policy");
        var prefix = ParameterPrefix.CreateOption(ParameterPrefix.Description);
        var command = new Command(
            "pull",
            "Print the policy stored as <prefix>/policies/<NAME>, indented, to stdout. "
            + "Exit 0 printed; 1 not found, not readable, or stored invalid (printed anyway, problems on stderr).")
        {
            name, prefix,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var policyName = result.GetRequiredValue(name);
            var parameterName = ParameterPrefix.EntryName(result.GetRequiredValue(prefix), ConfigEntryKind.Policy, policyName);
            using var client = parameterStore.Connect(error);
            if (client is null)
            {
                return PolicyCommands.Invalid;
            }

            // Decrypted, in case someone stored the policy as a SecureString by hand; the gateway reads it the same way.
            var read = await client.GetParameterAsync(parameterName, withDecryption: true, cancellationToken).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                error.WriteLine(read.Error == SsmError.NotFound
                    ? $"no policy \"{policyName}\": {parameterName} does not exist in Parameter Store"
                    : ParameterStoreAccess.Describe(read.Error, read.Message, parameterName));
                return PolicyCommands.Invalid;
            }

            var stored = read.Value!.Value;
            output.WriteLine(Indent(stored) ?? stored);

            // The gateway denies every call under an invalid policy; say so rather than print it as if it were fine.
            var parsed = PolicyParser.Parse(stored);
            if (!parsed.IsValid)
            {
                error.WriteLine($"{parameterName} (version {read.Value.Version}) is not a valid policy; grants using it deny every call:");
                foreach (var problem in parsed.Problems)
                {
                    error.WriteLine($"  {problem}");
                }

                return PolicyCommands.Invalid;
            }

            return PolicyCommands.Allowed;
        });
        return command;
    }

    /// <summary>The value indented, or null when it is not JSON (it is then printed as stored).</summary>
    private static string? Indent(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

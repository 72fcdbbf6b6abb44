using System.CommandLine;
using System.Text;
using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw policy push FILE --name NAME [--prefix P]</c>: validate locally, then store in Parameter Store.</summary>
internal static class PolicyPushCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The policy document (JSON, format v1)." };
        var name = new Option<string>("--name")
        {
            Description = "The policy's name, as grants refer to it; stored as <prefix>/policies/<NAME>.",
            HelpName = "NAME",
            Required = true,
        }.AcceptOnlyEntryNames("policy");
        var prefix = ParameterPrefix.CreateOption(ParameterPrefix.Description);
        var command = new Command(
            "push",
            "Validate a policy document and store it as the String parameter <prefix>/policies/<NAME>, overwriting, "
            + "without its whitespace, in the Standard tier when it fits 4096 bytes and the Advanced tier up to 8192. "
            + "Exit 0 stored; 1 invalid, too large or not stored (nothing is written unless it is valid).")
        {
            file, name, prefix,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var path = result.GetRequiredValue(file);
            var policyName = result.GetRequiredValue(name);
            var parameterName = ParameterPrefix.EntryName(result.GetRequiredValue(prefix), ConfigEntryKind.Policy, policyName);

            // The same validation as `policy validate`, with its output format, before anything is sent.
            var parsed = PolicyFile.Load(path.FullName, out var bytes, out var readError);
            if (readError is not null)
            {
                error.WriteLine($"{path}: {readError}");
                return PolicyCommands.Invalid;
            }

            if (!parsed!.IsValid)
            {
                foreach (var problem in parsed.Problems)
                {
                    error.WriteLine($"{path}: {problem}");
                }

                error.WriteLine($"Nothing was written to {parameterName}.");
                return PolicyCommands.Invalid;
            }

            var source = bytes!;
            var compact = JsonWhitespace.Remove(source);
            string value;
            try
            {
                value = StrictUtf8.GetString(compact);
            }
            catch (DecoderFallbackException)
            {
                error.WriteLine($"{path}: the file is not valid UTF-8. Nothing was written to {parameterName}.");
                return PolicyCommands.Invalid;
            }

            if (ParameterWriter.TierFor(compact.Length) is null)
            {
                WriteTooLarge(error, path, compact.Length, parameterName);
                return PolicyCommands.Invalid;
            }

            output.WriteLine($"{path}: {PolicyFile.Summary(parsed.Document)}");
            using var client = parameterStore.Connect(error);
            if (client is null)
            {
                return PolicyCommands.Invalid;
            }

            var stored = await ParameterWriter.PutAsync(client, parameterName, value, secure: false, overwrite: true, cancellationToken).ConfigureAwait(false);
            if (!stored.IsSuccess)
            {
                error.WriteLine(ParameterStoreAccess.Describe(stored.Error, stored.Message, parameterName));
                return PolicyCommands.Invalid;
            }

            var parameter = stored.Value!;
            output.WriteLine($"Parameter: {parameter.Name}");
            output.WriteLine($"Version:   {parameter.Version}");
            output.WriteLine($"Tier:      {parameter.DescribeTier()}");
            var withoutBom = source.AsSpan().StartsWith("\uFEFF"u8) ? source.Length - 3 : source.Length;
            if (compact.Length < withoutBom)
            {
                output.WriteLine(
                    $"Minified:  whitespace removed before upload ({withoutBom} bytes in the file, {compact.Length} stored); "
                    + $"`mcpgw policy pull {policyName}` prints it indented.");
            }

            return PolicyCommands.Allowed;
        });
        return command;
    }

    private static void WriteTooLarge(TextWriter error, FileInfo path, int bytes, string parameterName)
    {
        error.WriteLine(
            $"{path}: the policy is {bytes} bytes even without whitespace; a Parameter Store value holds at most "
            + $"{ParameterWriter.AdvancedMaxBytes} (Advanced tier). Nothing was written to {parameterName}.");
        error.WriteLine("To make it smaller:");
        error.WriteLine("  - split it: give each grant its own policy, and each upstream its own server entry, listing only the tools that grant needs;");
        error.WriteLine("  - cover a family of tools with one prefix key, e.g. \"delete_*\": {\"action\": \"deny\"}, instead of a rule per tool;");
        error.WriteLine("  - drop rules that repeat the default, and shorten reasons and counter names.");
        error.WriteLine("(Whitespace is removed before upload already; the limit applies to what is left.)");
    }
}

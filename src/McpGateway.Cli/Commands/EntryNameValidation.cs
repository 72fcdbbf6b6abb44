using System.CommandLine;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary>
/// Checks names of servers, policies and grants while parsing, so a bad one is a usage error (exit 64)
/// before anything is read or written. They become parameter names and counter keys.
/// </summary>
internal static class EntryNameValidation
{
    public static Argument<string> AcceptOnlyEntryNames(this Argument<string> argument, string kind)
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !ConfigEntryParser.IsValidName(result.Tokens[0].Value))
            {
                result.AddError(Problem(kind, result.Tokens[0].Value));
            }
        });
        return argument;
    }

    public static Option<string> AcceptOnlyEntryNames(this Option<string> option, string kind)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !ConfigEntryParser.IsValidName(result.Tokens[0].Value))
            {
                result.AddError(Problem(kind, result.Tokens[0].Value));
            }
        });
        return option;
    }

    private static string Problem(string kind, string name) =>
        $"{kind} name \"{name}\" is invalid: {McpGateway.Policy.ToolName.Rule}";
}

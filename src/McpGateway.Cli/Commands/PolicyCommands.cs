using System.CommandLine;
using System.Text.Json;
using McpGateway.Cli.Output;
using McpGateway.Cli.ParameterStore;
using McpGateway.Policy;
using McpGateway.Tools;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw policy validate|check|diff|push|pull</c>.</summary>
internal static class PolicyCommands
{
    public const int Allowed = 0;
    public const int Invalid = 1;
    public const int Denied = 2;
    public const int NeedsApproval = 3;

    public static Command Create(ParameterStoreAccess parameterStore)
    {
        var policy = new Command("policy", "Validate policy documents, see what they decide, and store them in Parameter Store.");
        policy.Subcommands.Add(CreateValidate());
        policy.Subcommands.Add(CreateCheck());
        policy.Subcommands.Add(PolicyDiffCommand.Create(Console.In));
        policy.Subcommands.Add(PolicyPushCommand.Create(parameterStore));
        policy.Subcommands.Add(PolicyPullCommand.Create(parameterStore));
        return policy;
    }

    private static Command CreateValidate()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Policy documents (JSON, format v1) to validate.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Validate policy documents. Exit 0 when all are valid, 1 with one line per problem otherwise.") { files };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var exit = Allowed;
            foreach (var file in result.GetRequiredValue(files))
            {
                var parsed = PolicyFile.Load(file.FullName, out var readError);
                if (readError is not null)
                {
                    output.WriteLine($"{file}: {readError}");
                    exit = Invalid;
                }
                else if (!parsed!.IsValid)
                {
                    foreach (var problem in parsed.Problems)
                    {
                        output.WriteLine($"{file}: {problem}");
                    }

                    exit = Invalid;
                }
                else
                {
                    output.WriteLine($"{file}: {PolicyFile.Summary(parsed.Document)}");
                    foreach (var warning in Warnings(parsed.Document!))
                    {
                        result.InvocationConfiguration.Error.WriteLine($"{file}: warning: {warning}");
                    }
                }
            }

            return exit;
        });
        return command;
    }

    /// <summary>
    /// What is valid but probably not meant (issue 16): under default deny, a document without a resources or
    /// prompts section denies every resource or prompt of the server, which policies written for tools alone did
    /// not do before the sections existed.
    /// </summary>
    private static IEnumerable<string> Warnings(McpGateway.Policy.PolicyDocument document)
    {
        if (document.Default != McpGateway.Policy.DefaultAction.Deny)
        {
            yield break;
        }

        if (document.Resources is null)
        {
            yield return "default is deny and there is no \"resources\" section, so every resource of the server is denied (resources/read) and unlisted; add \"resources\": {\"<uri or prefix*>\": {}} for those agents may read";
        }

        if (document.Prompts is null)
        {
            yield return "default is deny and there is no \"prompts\" section, so every prompt of the server is denied (prompts/get) and unlisted; add \"prompts\": {\"<name or prefix*>\": {}} for those agents may use";
        }
    }

    private static Command CreateCheck()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The policy document." };
        var tool = new Option<string>("--tool") { Description = "Tool name to check.", Required = true };
        var args = new Option<string>("--args") { Description = "The call's arguments as a JSON object, e.g. '{\"amount\": 500}'.", DefaultValueFactory = _ => "{}" };
        var grant = new Option<string>("--grant") { Description = "Grant label the call is made under (names the counter).", DefaultValueFactory = _ => "cli" };
        var server = new Option<string>("--server") { Description = "Server name the call goes to (names the counter).", DefaultValueFactory = _ => "local" };
        var session = new Option<string?>("--session") { Description = "MCP session id, for session-scoped limits." };
        var json = new Option<bool>("--json") { Description = "Print the decision as JSON." };
        var mode = new Option<string>("--mode")
        {
            Description = "enforce: the decision as the gateway enforces it; shadow: the decision with every shadowed rule and limit enforced; both (default): the first, then the second when the document shadows anything. The exit code follows the first decision printed.",
            DefaultValueFactory = _ => "both",
        };
        mode.AcceptOnlyFromAmong("enforce", "shadow", "both");

        var command = new Command(
            "check",
            "Show what a policy decides for one tools/call (and, when it has shadowed rules, what it would decide with them enforced). Exit 0 allow, 2 deny or hide, 3 approve, 1 invalid policy (the decision printed first decides). Limits are shown, not counted.")
        {
            file, tool, args, grant, server, session, json, mode,
        };

        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var path = result.GetRequiredValue(file);
            var parsed = PolicyFile.Load(path.FullName, out var readError);
            if (readError is not null || !parsed!.IsValid)
            {
                error.WriteLine(readError is not null ? $"{path}: {readError}" : $"{path}: the policy is invalid:");
                foreach (var problem in parsed?.Problems ?? [])
                {
                    error.WriteLine($"  {problem}");
                }

                return Invalid;
            }

            JsonDocument arguments;
            try
            {
                arguments = JsonDocument.Parse(result.GetValue(args) ?? "{}", new JsonDocumentOptions { AllowDuplicateProperties = false });
            }
            catch (JsonException ex)
            {
                error.WriteLine($"--args is not valid JSON: {ex.Message}");
                return CliApp.UsageError;
            }

            using (arguments)
            {
                if (arguments.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error.WriteLine("--args must be a JSON object, e.g. '{\"amount\": 500}'");
                    return CliApp.UsageError;
                }

                var compiled = CompiledPolicy.Compile(parsed.Document);
                var call = new ToolCall(
                    result.GetValue(grant)!,
                    result.GetValue(server)!,
                    result.GetRequiredValue(tool),
                    arguments.RootElement,
                    result.GetValue(session));
                var now = DateTimeOffset.UtcNow;
                var chosen = result.GetValue(mode);

                // --mode shadow asks what the document decides once its shadowed parts are enforced; a document that
                // shadows nothing decides the same either way.
                var decision = chosen == "shadow" && compiled.Shadow is { } enforcedShadow ? enforcedShadow.Evaluate(call, now) : compiled.Evaluate(call, now);
                var report = DecisionReport.From(call.Tool, decision, ToolClassifier.Classify(new ToolDefinition(call.Tool))) with
                {
                    Shadow = chosen == "both" && compiled.Shadow is { } full ? DecisionReport.From(call.Tool, full.Evaluate(call, now)) : null,
                };
                if (result.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.DecisionReport));
                }
                else
                {
                    report.WriteText(output);
                }

                return decision.Kind switch
                {
                    DecisionKind.Allow => Allowed,
                    DecisionKind.Approve => NeedsApproval,
                    _ => Denied,
                };
            }
        });
        return command;
    }
}

using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGateway.Cli.Commands;

/// <summary><c>mcpgw approvals list|show|approve|reject</c> against a gateway's admin API.</summary>
internal static class ApprovalCommands
{
    public const string GatewayVariable = "MCPGW_GATEWAY_URL";
    public const string TokenVariable = "MCPGW_ADMIN_TOKEN";

    public static Command Create()
    {
        var gateway = new Option<string?>("--gateway") { Description = $"The gateway's base URL (e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod). Default: ${GatewayVariable}.", Recursive = true };
        var token = new Option<string?>("--admin-token") { Description = $"Admin credential. Prefer ${TokenVariable}, which stays out of shell history.", Recursive = true };
        var approvals = new Command("approvals", "List and decide pending approvals (needs an admin credential).") { gateway, token };

        var list = new Command("list", "List pending approvals.");
        list.SetAction((result, cancellationToken) => RunAsync(result, gateway, token, HttpMethod.Get, "admin/approvals", null, cancellationToken));

        var id = new Argument<string>("ID") { Description = "The approval id (apr_...)." };
        var show = new Command("show", "Show one approval, whatever its state.") { id };
        show.SetAction((result, cancellationToken) => RunAsync(result, gateway, token, HttpMethod.Get, "admin/approvals/" + Uri.EscapeDataString(result.GetRequiredValue(id)), null, cancellationToken));

        approvals.Subcommands.Add(list);
        approvals.Subcommands.Add(show);
        approvals.Subcommands.Add(Decide("approve", "Approve a pending call: it may then run once.", gateway, token));
        approvals.Subcommands.Add(Decide("reject", "Reject a pending call; the agent is told who rejected it and why.", gateway, token));
        return approvals;
    }

    private static Command Decide(string verb, string description, Option<string?> gateway, Option<string?> token)
    {
        var id = new Argument<string>("ID") { Description = "The approval id (apr_...)." };
        var note = new Option<string?>("--note") { Description = "A note for the audit log and the agent." };
        var command = new Command(verb, description) { id, note };
        command.SetAction((result, cancellationToken) =>
        {
            var body = new JsonObject();
            if (result.GetValue(note) is { } text)
            {
                body["note"] = text;
            }

            return RunAsync(result, gateway, token, HttpMethod.Post, $"admin/approvals/{Uri.EscapeDataString(result.GetRequiredValue(id))}/{verb}", body.ToJsonString(), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string?> gatewayOption, Option<string?> tokenOption, HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        var gateway = result.GetValue(gatewayOption) ?? Environment.GetEnvironmentVariable(GatewayVariable);
        var token = result.GetValue(tokenOption) ?? Environment.GetEnvironmentVariable(TokenVariable);
        if (gateway is null || !Uri.TryCreate(gateway.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl))
        {
            error.WriteLine($"--gateway (or ${GatewayVariable}) must be the gateway's base URL");
            return CliApp.UsageError;
        }

        if (string.IsNullOrEmpty(token))
        {
            error.WriteLine($"--admin-token (or ${TokenVariable}) is required");
            return CliApp.UsageError;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            error.WriteLine($"cannot reach {baseUrl}: {ex.Message}");
            return 1;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var message = TryParse(text)?["error"]?.GetValue<string>() ?? text;
                error.WriteLine($"{(int)response.StatusCode}: {message}");
                return 1;
            }

            var json = TryParse(text);
            if (json?["approvals"] is JsonArray pending)
            {
                if (pending.Count == 0)
                {
                    output.WriteLine("no pending approvals");
                }

                foreach (var item in pending)
                {
                    output.WriteLine($"{item!["id"]}  {item["grant"]} -> {item["server"]}/{item["tool"]}  args [{string.Join(", ", item["argument_keys"]!.AsArray())}]  expires {item["expires_at"]}");
                }
            }
            else
            {
                output.WriteLine(json?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text);
            }

            return 0;
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using McpGateway.Configuration;
using McpGateway.Policy;

namespace McpGateway.Performance.Fixtures;

/// <summary>
/// The gateway configuration every gateway under test reads: two servers (the same upstream answering
/// JSON or SSE), a realistic policy of 100 tool rules with conditions and exactly one limit, and grants
/// for the measured clients among decoy grants, so authentication compares as many hashes as a small team's
/// deployment would. The file is generated at each run, as an operator's file would be written once.
/// </summary>
internal sealed class BenchConfig(string path, string signedPath, string jsonToken, string sseToken)
{
    public const string PolicyName = "bench";
    public const string CalledTool = "write_note";

    /// <summary>The one limit: large enough never to deny during a run (issue 8), so every call is forwarded.</summary>
    public const long LimitMax = 100_000_000;
    public const long LimitWindowSeconds = 31_536_000;

    private const int DecoyGrants = 20;

    private static readonly string[] Services = ["files", "issues", "repos", "charges", "customers", "calendar", "mail", "tickets", "search", "deploy", "metrics", "users"];
    private static readonly string[] Verbs = ["list", "get", "create", "update", "archive", "export", "import", "sync"];

    /// <summary>The configuration file (servers, policies, grants) the gateways load with <c>Gateway:ConfigFile</c>.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// The same configuration with every server SigV4-signed (path (s)): the same upstream, which ignores the
    /// signature, so the difference from (c) is what signing each call costs.
    /// </summary>
    public string SignedPath { get; } = signedPath;

    /// <summary>Bearer token of the grant for the JSON-answering server.</summary>
    public string JsonToken { get; } = jsonToken;

    /// <summary>Bearer token of the grant for the SSE-answering server.</summary>
    public string SseToken { get; } = sseToken;

    public static string ServerName(ResponseMode mode) => mode == ResponseMode.Json ? "notes-json" : "notes-sse";

    public string Token(ResponseMode mode) => mode == ResponseMode.Json ? JsonToken : SseToken;

    /// <summary>Writes the configuration for an upstream at <paramref name="upstream"/> and checks that the policy compiles.</summary>
    public static BenchConfig Write(Uri upstream, string directory)
    {
        var jsonToken = NewToken();
        var sseToken = NewToken();
        var grants = new JsonObject
        {
            ["bench-json"] = Grant(TokenHash.Of(jsonToken), ServerName(ResponseMode.Json)),
            ["bench-sse"] = Grant(TokenHash.Of(sseToken), ServerName(ResponseMode.Sse)),
        };
        for (var i = 0; i < DecoyGrants; i++)
        {
            grants[$"agent-{i:00}"] = Grant(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ServerName((ResponseMode)(i % 2)));
        }

        var policy = Policy();
        var config = new JsonObject
        {
            ["servers"] = new JsonObject
            {
                [ServerName(ResponseMode.Json)] = new JsonObject { ["url"] = new Uri(upstream, "/mcp/json").ToString() },
                [ServerName(ResponseMode.Sse)] = new JsonObject { ["url"] = new Uri(upstream, "/mcp/sse").ToString() },
            },
            ["policies"] = new JsonObject { [PolicyName] = policy },
            ["grants"] = grants,
        };

        Check(policy);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "gateway-bench.json");
        File.WriteAllText(path, config.ToJsonString());

        // Static credentials from the environment (the harness sets dynalite's), as a gateway role's would be.
        foreach (var (_, server) in config["servers"]!.AsObject())
        {
            server!["auth"] = new JsonObject { ["type"] = "aws_sigv4", ["service"] = "ecs-mcp", ["region"] = "us-west-2" };
        }

        var signedPath = System.IO.Path.Combine(directory, "gateway-bench-signed.json");
        File.WriteAllText(signedPath, config.ToJsonString());
        return new BenchConfig(path, signedPath, jsonToken, sseToken);
    }

    /// <summary>
    /// 100 tool rules under <c>default: deny</c>: 96 service tools in six shapes (allowed, numeric and
    /// membership conditions, regex deny_if, denied with a reason, needing approval, hidden), three prefix
    /// rules, and the called tool, whose two <c>require</c> and two <c>deny_if</c> conditions read every
    /// argument (including a substring scan of the large one) and whose limit is the policy's only one.
    /// </summary>
    private static JsonObject Policy()
    {
        var tools = new JsonObject
        {
            [CalledTool] = new JsonObject
            {
                ["reason"] = "Notes need a plain title and a known priority, and may not carry key material.",
                ["require"] = new JsonArray(
                    Condition("args.title", "regex", "^[A-Za-z0-9 ,._-]{1,120}$"),
                    Condition("args.priority", "in", new JsonArray("low", "normal", "high"))),
                ["deny_if"] = new JsonArray(
                    Condition("args.content", "contains", "BEGIN PRIVATE KEY"),
                    Condition("args.title", "eq", "forbidden")),
                ["limits"] = new JsonArray(new JsonObject
                {
                    ["counter"] = "notes_written",
                    ["window"] = LimitWindowSeconds,
                    ["max"] = LimitMax,
                    ["scope"] = "grant",
                }),
            },
            ["admin_*"] = new JsonObject { ["action"] = "deny", ["reason"] = "Administration is not delegated to agents." },
            ["delete_*"] = new JsonObject { ["action"] = "approve", ["approval"] = new JsonObject { ["timeout"] = "30m" } },
            ["internal_*"] = new JsonObject { ["action"] = "hide" },
        };

        var index = 0;
        foreach (var service in Services)
        {
            foreach (var verb in Verbs)
            {
                tools[$"{service}_{verb}"] = (index++ % 6) switch
                {
                    0 => new JsonObject(),
                    1 => new JsonObject
                    {
                        ["require"] = new JsonArray(Condition("args.limit", "lte", 100), Condition("args.scope", "in", new JsonArray("own", "team"))),
                    },
                    2 => new JsonObject
                    {
                        ["deny_if"] = new JsonArray(Condition("args.query", "regex", "(?i)(password|secret|token)")),
                    },
                    3 => new JsonObject { ["action"] = "deny", ["reason"] = $"{service} {verb} is done by people, not agents." },
                    4 => new JsonObject { ["action"] = "approve" },
                    _ => new JsonObject { ["action"] = "hide" },
                };
            }
        }

        return new JsonObject
        {
            ["version"] = "1",
            ["default"] = "deny",
            ["hide"] = new JsonArray("debug_dump", "debug_env", "legacy_*"),
            ["tools"] = tools,
        };
    }

    /// <summary>Fails the run before it starts if the generated policy is not what the figures claim to measure.</summary>
    private static void Check(JsonObject policy)
    {
        var entry = ConfigEntryParser.ParsePolicy(PolicyName, System.Text.Encoding.UTF8.GetBytes(policy.ToJsonString()));
        if (entry.Compiled is null)
        {
            throw new InvalidOperationException("the generated benchmark policy is invalid: " + entry.FailureReason);
        }

        var rules = entry.Compiled.Document.Tools.Length;
        if (rules != 100)
        {
            throw new InvalidOperationException($"the benchmark policy should hold 100 tool rules, not {rules}");
        }

        foreach (var payload in new[] { ToolCallPayload.Small, ToolCallPayload.Medium })
        {
            using var arguments = System.Text.Json.JsonDocument.Parse(payload.Arguments);
            var decision = entry.Compiled.Evaluate(new ToolCall("bench-json", ServerName(ResponseMode.Json), CalledTool, arguments.RootElement), DateTimeOffset.UtcNow);
            if (decision.Kind != DecisionKind.Allow || decision.Limits.Length != 1)
            {
                throw new InvalidOperationException($"the {payload.Size} call should be allowed with one limit to reserve, but is: {decision}");
            }
        }
    }

    private static JsonObject Condition(string path, string op, JsonNode value) => new() { ["path"] = path, ["op"] = op, ["value"] = value };

    private static JsonObject Grant(string tokenSha256, string server) => new()
    {
        ["token_sha256"] = tokenSha256,
        ["server"] = server,
        ["policy"] = PolicyName,
    };

    private static string NewToken() => "mcpgw_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

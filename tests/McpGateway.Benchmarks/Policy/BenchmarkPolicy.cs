using System.Text.Json.Nodes;

namespace McpGateway.Benchmarks.Policy;

/// <summary>
/// A realistic 100-tool policy for a payments-style MCP server, generated in code so that its shape is
/// reviewed with the benchmark: mostly plain <c>{}</c> allows for read tools, write tools guarded by
/// <c>require</c>/<c>deny_if</c> conditions of every operator (one regex), limits per rule and on
/// <c>all_tools</c>, deny and approve actions, three prefix rules and a few hide entries.
/// </summary>
internal static class BenchmarkPolicy
{
    /// <summary>A plain <c>{}</c> rule: no conditions, no limits of its own.</summary>
    public const string PlainTool = "list_invoices";

    /// <summary><c>require</c>: amount <c>lte</c> (number), reason <c>in</c> (strings), charge <c>regex</c>; no limits of its own.</summary>
    public const string ConditionalTool = "create_refund";

    /// <summary>Conditions plus a limit counted with <c>increment_from</c>.</summary>
    public const string ChargeTool = "create_charge";

    /// <summary>Named in <c>hide</c> (an exact entry, not the first).</summary>
    public const string HiddenTool = "admin_impersonate";

    /// <summary>Not in the policy: <c>default: deny</c> decides.</summary>
    public const string UnlistedTool = "drop_database";

    /// <summary>The policy's <c>all_tools</c> counter, attached to every permitted call.</summary>
    public const string AllToolsCounter = "all_calls_per_minute";

    /// <summary>The size of the <c>tools</c> map and of <see cref="Catalogue"/>.</summary>
    public const int ToolCount = 100;

    private static readonly string[] Nouns =
        ["customer", "invoice", "charge", "refund", "payout", "subscription", "product", "price", "coupon", "dispute"];

    private static readonly string[] HiddenEntries = ["admin_rotate_keys", HiddenTool, "debug_*", "internal_*"];

    // Tools the server exposes that the tools map does not name: hidden ones, ones a prefix rule matches,
    // and ones left to the default.
    private static readonly string[] UnmappedServerTools =
    [
        "admin_rotate_keys", HiddenTool, "debug_dump_state", "internal_sync_ledger",
        "delete_customer", "delete_invoice", "sandbox_reset", "report_revenue",
        UnlistedTool, "run_sql",
    ];

    /// <summary>
    /// The 100 tools the server offers in <c>tools/list</c>, in name order: 90 of the policy's 97 exact
    /// keys plus <see cref="UnmappedServerTools"/>.
    /// </summary>
    public static string[] Catalogue { get; } = BuildCatalogue();

    /// <summary>
    /// The policy document as JSON text. With <paramref name="allToolsLimit"/> false the
    /// <c>all_tools</c> block is left out, which is the only way a permitted call carries no limit.
    /// </summary>
    public static string Generate(bool allToolsLimit = true)
    {
        var document = new JsonObject
        {
            ["version"] = "1",
            ["default"] = "deny",
            ["hide"] = new JsonArray([.. HiddenEntries.Select(h => (JsonNode)h)]),
        };

        if (allToolsLimit)
        {
            document["all_tools"] = new JsonObject
            {
                ["limits"] = new JsonArray(Limit(AllToolsCounter, "minute", 600)),
            };
        }

        var tools = new JsonObject();
        foreach (var (key, rule) in Rules())
        {
            tools[key] = rule;
        }

        document["tools"] = tools;
        return document.ToJsonString();
    }

    private static IEnumerable<(string Key, JsonObject Rule)> Rules()
    {
        // 30 read tools, allowed as they are: the bulk of a real policy.
        foreach (var noun in Nouns)
        {
            yield return ($"get_{noun}", new JsonObject());
            yield return ($"list_{noun}s", new JsonObject());
            yield return ($"search_{noun}s", new JsonObject());
        }

        // 10 create tools with conditions; most also have a limit of their own.
        for (var i = 0; i < Nouns.Length; i++)
        {
            var noun = Nouns[i];
            var rule = noun switch
            {
                "charge" => new JsonObject
                {
                    ["reason"] = "Charges must be in USD, EUR or GBP and at most 500.00.",
                    ["require"] = new JsonArray(
                        Condition("args.amount", "lte", 50000),
                        Condition("args.currency", "in", new JsonArray("usd", "eur", "gbp"))),
                    ["deny_if"] = new JsonArray(Condition("args.description", "contains", "test")),
                    ["limits"] = new JsonArray(Limit("charge_amount_daily", "day", 2_000_000, incrementFrom: "args.amount")),
                },
                "refund" => new JsonObject
                {
                    ["require"] = new JsonArray(
                        Condition("args.amount", "lte", 10000),
                        Condition("args.reason", "in", new JsonArray("duplicate", "fraudulent", "requested_by_customer")),
                        Condition("args.charge", "regex", "^ch_[A-Za-z0-9]{8,32}$")),
                },
                "payout" => new JsonObject
                {
                    ["action"] = "approve",
                    ["approval"] = new JsonObject { ["timeout"] = "30m" },
                    ["require"] = new JsonArray(Condition("args.amount", "gt", 0)),
                },
                _ => new JsonObject
                {
                    ["require"] = new JsonArray(Condition("args.name", "exists", true)),
                    ["deny_if"] = new JsonArray(Condition("args.metadata.source", "eq", "bulk_import")),
                    ["limits"] = new JsonArray(Limit($"create_{noun}_hourly", "hour", 100 + i)),
                },
            };
            yield return ($"create_{noun}", rule);
        }

        // 10 update tools: identifiers required, some fields off limits.
        for (var i = 0; i < Nouns.Length; i++)
        {
            yield return ($"update_{Nouns[i]}", new JsonObject
            {
                ["require"] = new JsonArray(Condition("args.id", "exists", true)),
                ["deny_if"] = new JsonArray(
                    Condition("args.status", i % 2 == 0 ? "not_in" : "in", new JsonArray("draft", "open")),
                    Condition("args.metadata.locked", "neq", false)),
            });
        }

        // 10 count-only tools: rate limited per server, no conditions.
        foreach (var noun in Nouns)
        {
            yield return ($"export_{noun}s", new JsonObject
            {
                ["limits"] = new JsonArray(Limit($"export_{noun}s_daily", "day", 50, scope: "server")),
            });
        }

        // 10 admin tools: visible but denied, or hidden by their rule.
        for (var i = 0; i < Nouns.Length; i++)
        {
            yield return ($"admin_{Nouns[i]}", i % 2 == 0
                ? new JsonObject { ["action"] = "deny", ["reason"] = "Administrative tools are reserved for people." }
                : new JsonObject { ["action"] = "hide" });
        }

        // 10 archive tools: a numeric bound and a free-text guard.
        foreach (var noun in Nouns)
        {
            yield return ($"archive_{noun}", new JsonObject
            {
                ["require"] = new JsonArray(Condition("args.age_days", "gte", 30)),
                ["deny_if"] = new JsonArray(Condition("args.tags", "contains", "legal_hold")),
            });
        }

        // 10 notify tools: two need approval, the rest are capped per session.
        for (var i = 0; i < Nouns.Length; i++)
        {
            yield return ($"notify_{Nouns[i]}", i < 2
                ? new JsonObject { ["action"] = "approve" }
                : new JsonObject { ["limits"] = new JsonArray(Limit("notifications", 3600, 30, scope: "session")) });
        }

        // 7 tools that fit no family.
        yield return ("ping", new JsonObject());
        yield return ("whoami", new JsonObject());
        yield return ("get_balance", new JsonObject());
        yield return ("list_events", new JsonObject { ["require"] = new JsonArray(Condition("args.limit", "lt", 101)) });
        yield return ("create_checkout_session", new JsonObject
        {
            ["require"] = new JsonArray(Condition("args.mode", "in", new JsonArray("payment", "subscription"))),
            ["limits"] = new JsonArray(Limit("checkout_sessions", "minute", 20)),
        });
        yield return ("attach_payment_method", new JsonObject());
        yield return ("detach_payment_method", new JsonObject { ["action"] = "deny" });

        // 3 prefix rules.
        yield return ("delete_*", new JsonObject { ["action"] = "deny", ["reason"] = "Deletions are reserved for the billing team." });
        yield return ("sandbox_*", new JsonObject());
        yield return ("report_*", new JsonObject { ["limits"] = new JsonArray(Limit("reports_hourly", "hour", 10)) });
    }

    private static JsonObject Condition(string path, string op, JsonNode value) =>
        new() { ["path"] = path, ["op"] = op, ["value"] = value };

    private static JsonObject Limit(string counter, JsonNode window, long max, string? scope = null, string? incrementFrom = null)
    {
        var limit = new JsonObject { ["counter"] = counter, ["window"] = window, ["max"] = max };
        if (scope is not null)
        {
            limit["scope"] = scope;
        }

        if (incrementFrom is not null)
        {
            limit["increment_from"] = incrementFrom;
        }

        return limit;
    }

    private static string[] BuildCatalogue()
    {
        var exact = Rules().Select(r => r.Key).Where(k => !k.EndsWith('*')).ToList();
        var missing = exact.Count - (ToolCount - UnmappedServerTools.Length);

        // Policies name tools the server no longer has: leave out keys spread evenly over the families.
        var stride = exact.Count / missing;
        var mapped = exact.Where((_, i) => i % stride != stride - 1 || i / stride >= missing);
        string[] catalogue = [.. mapped.Concat(UnmappedServerTools).Order(StringComparer.Ordinal)];
        return catalogue.Length == ToolCount
            ? catalogue
            : throw new InvalidOperationException($"the catalogue has {catalogue.Length} tools, not {ToolCount}");
    }
}

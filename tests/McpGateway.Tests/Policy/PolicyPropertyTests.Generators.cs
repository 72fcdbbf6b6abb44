using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace McpGateway.Tests.Policy;

// The FsCheck generators of documents and calls.
public sealed partial class PolicyPropertyTests
{
    /// <summary>Generators of valid documents and of calls that exercise them.</summary>
    private static class Generators
    {
        private static readonly string[] ExactKeys = ["create_charge", "delete_customer", "delete_branch", "admin_users", "list", "a.b", "x-y", "d"];
        private static readonly string[] PrefixKeys = ["delete_*", "del*", "admin_*", "a*", "*", "list*", "a.*", "Create*", "create_charge*", "d*"];
        private static readonly string[] ValidTools =
        [
            "create_charge", "create_charges", "delete_customer", "delete_branch", "delete_", "delete", "admin_users", "admin",
            "list", "list_charges", "a.b", "a.bc", "abc", "x-y", "Create_charge", "CREATE_CHARGE", "other", "d", new string('d', 128),
        ];

        private static readonly string[] InvalidTools = ["", "bad name", "café", "zero\u200Bwidth", new string('d', 129), "*", "delete_*", "list\n"];

        private static readonly string[] ArgumentPaths = ["args.a", "args.b", "args.n.x", "args.n"];
        private static readonly string[] Operators = ["eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "contains", "exists"];
        private static readonly string[] Patterns = ["^usd$", "us", "^[0-9]+$", "5", "^$", "e", "^(main|master)$", "t.st", "\\.", "^a", "é"];

        /// <summary>Counters; a counter's window, max and increment_from depend only on its name and scope, so declarations never conflict.</summary>
        private static readonly string[] Counters = ["c1", "c2", "c3"];
        private static readonly string?[] IncrementPaths = [null, "args.a", null, "args.b", null, "args.n.x", null];
        private static readonly string?[] Scopes = [null, "grant", "server", "session"];
        private static readonly (string[] Spellings, long Seconds)[] Windows =
        [
            (["\"minute\"", "60"], 60), (["\"hour\"", "3600"], 3_600), (["\"day\"", "86400"], 86_400), (["7"], 7), (["90"], 90), (["31536000"], 31_536_000),
        ];

        private static readonly Gen<JsonValue> LiteralScalar = Gen.OneOf(
            Gen.Elements("usd", "eur", "5", "5.0", "true", "test", "", "main", "a.b", "café").Select(s => (JsonValue)new JsonString(s)),
            Gen.Elements("5", "0", "-3", "12.5", "1000", "1").Select(t => (JsonValue)new JsonNumber(t)),
            Gen.Elements(true, false).Select(b => (JsonValue)new JsonBoolean(b)));

        private static readonly Gen<JsonValue> ArgumentScalar = Gen.Frequency(
            (5, Gen.Elements("usd", "eur", "USD", "5", "5.0", "-3", "-3.0", "1e3", "1000.0", "true", "false", "test", "a test!", "", "main", "master", "12.5", "café")
                .Select(s => (JsonValue)new JsonString(s))),
            (4, Gen.Elements("5", "5.0", "0", "-0", "-3", "12.5", "1000", "1e3", "1", "-0.5", "100", "0.0", "5e0").Select(t => (JsonValue)new JsonNumber(t))),
            (2, Gen.Elements(true, false).Select(b => (JsonValue)new JsonBoolean(b))),
            (1, Gen.Constant((JsonValue)new JsonNull())));

        private static readonly Gen<GeneratedCondition> Condition =
            from path in Gen.Elements(ArgumentPaths)
            from op in Gen.Elements(Operators)
            from value in OperandFor(op)
            select new GeneratedCondition(path, op, value);

        private static readonly Gen<GeneratedLimit> Limit =
            from counter in Gen.Choose(0, Counters.Length - 1)
            from scope in Gen.Choose(0, Scopes.Length - 1)
            let budget = scope == 0 ? 1 : scope // no scope means grant, so it must declare the grant scope's budget
            let window = Windows[((counter * 3) + budget) % Windows.Length]
            from spelling in Gen.Elements(window.Spellings)
            let incrementFrom = IncrementPaths[((counter * 5) + budget) % IncrementPaths.Length]
            from onStoreError in Gen.Elements<string?>(null, "deny", "allow")
            select new GeneratedLimit(Counters[counter], Scopes[scope], spelling, window.Seconds, 1 + (counter * 10) + budget, incrementFrom, onStoreError);

        private static readonly Gen<GeneratedRule> Rule =
            from action in Gen.Frequency((3, Gen.Constant<string?>(null)), (2, Gen.Constant<string?>("allow")), (1, Gen.Constant<string?>("deny")), (1, Gen.Constant<string?>("hide")), (2, Gen.Constant<string?>("approve")))
            from reason in Gen.Elements<string?>(null, "Because.")
            from require in Maybe(Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Condition, n)), 60)
            from denyIf in Maybe(Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Condition, n)), 70)
            from limits in Maybe(Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Limit, n)), 60)
            from approval in action == "approve" ? Maybe(Gen.Elements("15m", "30m", "1h", "90s", "7d", "1d"), 50) : Gen.Constant<string?>(null)
            select new GeneratedRule("", action, reason, require, denyIf, limits, approval);

        private static readonly Gen<GeneratedPolicy> Policy =
            from @default in Gen.Elements("allow", "deny")
            from hide in Maybe(Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(ExactKeys.Concat(PrefixKeys).ToArray()), n)), 50)
            from allTools in Maybe(Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Limit, n)), 60)
            from keys in Gen.SubListOf(ExactKeys.Concat(PrefixKeys).ToArray()).SelectMany(k => Gen.Shuffle(k.ToArray())).Select(k => k.Take(6).ToArray())
            from rules in Gen.ArrayOf(Rule, keys.Length)
            from omitTools in Gen.Elements(keys.Length == 0, false)
            select new GeneratedPolicy(@default, hide, allTools, omitTools ? null : [.. keys.Zip(rules, (key, rule) => rule with { Key = key })]);

        public static readonly Gen<GeneratedCase> Case =
            from policy in Policy
            from calls in Gen.Choose(2, 12).SelectMany(n => Gen.ArrayOf(CallFor(policy), n))
            select new GeneratedCase(policy, calls);

        /// <summary>
        /// Calls aimed at the policy: tool names mostly taken from its keys and hide entries, and arguments that
        /// mix a fixed pool with the policy's own literals in other spellings ("5.0" and "5" for 5, "true" for
        /// true, the upper-cased string), so that lookups and comparisons are often close calls.
        /// </summary>
        private static Gen<GeneratedCall> CallFor(GeneratedPolicy policy)
        {
            var near = NearValues(policy).Distinct().ToArray();
            var named = (policy.Tools ?? []).Select(r => r.Key).Concat(policy.Hide ?? [])
                .SelectMany(key => key.EndsWith('*') ? new[] { key[..^1] + "x", key[..^1] } : [key])
                .Where(tool => tool.Length > 0)
                .ToArray();
            var tools = named.Length == 0
                ? Gen.Elements(ValidTools)
                : Gen.Frequency((1, Gen.Elements(ValidTools)), (2, Gen.Elements(named)));
            var scalar = near.Length == 0 ? ArgumentScalar : Gen.Frequency((1, ArgumentScalar), (1, Gen.Elements(near)));
            var value = Gen.Frequency(
                (8, scalar),
                (2, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(scalar, n)).Select(items => (JsonValue)new JsonArray([.. items]))),
                (1, scalar.Select(v => (JsonValue)new JsonObject([new JsonMember("x", v)]))));
            var arguments =
                from a in Maybe(value, 75)
                from b in Maybe(value, 60)
                from n in Gen.Frequency(
                    (1, Gen.Constant<JsonValue?>(null)),
                    (1, value.Select(v => (JsonValue?)v)),
                    (3, Maybe(value, 75).Select(x => (JsonValue?)new JsonObject(x is null ? [new JsonMember("y", new JsonNumber("1"))] : [new JsonMember("x", x)]))))
                select new JsonObject([.. new[] { ("a", a), ("b", b), ("n", n) }.Where(m => m.Item2 is not null).Select(m => new JsonMember(m.Item1, m.Item2!))]);

            return
                from tool in Gen.Frequency((10, tools), (1, Gen.Elements(InvalidTools)))
                from args in Gen.Frequency((12, arguments.Select(o => (JsonObject?)o)), (1, Gen.Constant<JsonObject?>(null)))
                from grant in Gen.Elements("g1", "g2")
                from session in Gen.Elements<string?>(null, "", "sess-1")
                from seconds in Gen.Frequency((5, Gen.Choose(1_700_000_000, 2_000_000_000)), (1, Gen.Choose(-200_000, 200_000)))
                from milliseconds in Gen.Choose(0, 999)
                select new GeneratedCall(tool, args, grant, "srv", session, DateTimeOffset.FromUnixTimeMilliseconds((seconds * 1000L) + milliseconds));
        }

        private static IEnumerable<JsonValue> NearValues(GeneratedPolicy policy)
        {
            var literals = (policy.Tools ?? [])
                .SelectMany(r => (r.Require ?? []).Concat(r.DenyIf ?? []))
                .SelectMany(c => c.Value is JsonArray list ? list.Items.AsEnumerable() : c.Value is null ? [] : [c.Value]);
            foreach (var literal in literals)
            {
                switch (literal)
                {
                    case JsonNumber number:
                        yield return number;
                        yield return new JsonString(number.Text);
                        yield return new JsonString(number.Text + (number.Text.Contains('.', StringComparison.Ordinal) ? "0" : ".0"));
                        yield return new JsonNumber(number.Text + "e0");
                        yield return new JsonNumber(((long)Math.Floor(number.Value) + 1).ToString(CultureInfo.InvariantCulture));
                        break;
                    case JsonString text:
                        yield return text;
                        yield return new JsonString(text.Value.ToUpperInvariant());
                        yield return new JsonString("x" + text.Value + "y");
                        if (text.Value is "true" or "false")
                        {
                            yield return new JsonBoolean(text.Value == "true");
                        }

                        break;
                    case JsonBoolean boolean:
                        yield return boolean;
                        yield return new JsonString(boolean.Value ? "true" : "false");
                        break;
                }
            }
        }

        private static Gen<JsonValue?> OperandFor(string op) => op switch
        {
            "eq" or "neq" or "contains" => LiteralScalar.Select(v => (JsonValue?)v),
            "in" or "not_in" => Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(LiteralScalar, n)).Select(items => (JsonValue?)new JsonArray([.. items])),
            "lt" or "lte" or "gt" or "gte" => Gen.Elements("5", "0", "-3", "12.5", "1000").Select(t => (JsonValue?)new JsonNumber(t)),
            "regex" => Gen.Elements(Patterns).Select(p => (JsonValue?)new JsonString(p)),
            _ => Gen.Elements<JsonValue?>(null, new JsonBoolean(true), new JsonBoolean(false)),
        };

        private static Gen<T?> Maybe<T>(Gen<T> gen, int percentPresent)
            where T : class =>
            Gen.Frequency((percentPresent, gen.Select(v => (T?)v)), (100 - percentPresent, Gen.Constant<T?>(null)));
    }
}

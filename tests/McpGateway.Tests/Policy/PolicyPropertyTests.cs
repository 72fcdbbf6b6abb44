using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using McpGateway.Policy;

namespace McpGateway.Tests.Policy;

/// <summary>
/// Compares <see cref="CompiledPolicy"/> with a reference interpreter written from docs/policy-reference.md alone. Random
/// valid documents are generated as structures, printed as JSON for the real parser, and interpreted
/// directly from the structure here, in the most literal way the policy reference allows: no compiled lookups, no
/// pre-built decisions, no code shared with <c>src/</c>. Any disagreement on decision kind, rule path,
/// approval timeout, reserved limits or <c>tools/list</c> visibility prints the document and the call.
/// </summary>
public sealed class PolicyPropertyTests
{
    [Fact]
    public void Evaluate_RandomValidPoliciesAndCalls_AgreesWithTheReferenceInterpreter()
    {
        var property = Prop.ForAll(Generators.Case.ToArbitrary(), AssertAgrees);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    private static void AssertAgrees(GeneratedCase generated)
    {
        var json = generated.Policy.ToJson();
        var parsed = PolicyParser.Parse(json);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException($"generated document was rejected:{Environment.NewLine}{string.Join(Environment.NewLine, parsed.Problems)}{Environment.NewLine}{json}");
        }

        var compiled = CompiledPolicy.Compile(parsed.Document);
        foreach (var call in generated.Calls)
        {
            var expected = Reference.Evaluate(generated.Policy, call);
            var actual = Evaluate(compiled, call);
            var expectedListed = Reference.IsListed(generated.Policy, call.Tool);
            var actualListed = compiled.IsListed(call.Tool);
            if (expected != actual || expectedListed != actualListed)
            {
                throw new InvalidOperationException(
                    $"""
                    compiled policy and reference interpreter disagree
                      policy:    {json}
                      call:      {call}
                      reference: {expected}, listed {expectedListed}
                      compiled:  {actual}, listed {actualListed}
                    """);
            }
        }
    }

    private static Outcome Evaluate(CompiledPolicy policy, GeneratedCall call)
    {
        PolicyDecision decision;
        if (call.Arguments is null)
        {
            decision = policy.Evaluate(new ToolCall(call.Grant, call.Server, call.Tool, default, call.Session), call.At);
        }
        else
        {
            using var arguments = JsonDocument.Parse(call.Arguments.ToJson());
            decision = policy.Evaluate(new ToolCall(call.Grant, call.Server, call.Tool, arguments.RootElement, call.Session), call.At);
        }

        var keys = decision.Limits.Select(l => l.Key).ToArray();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        return new Outcome(
            decision.Kind.ToString(),
            decision.Rule,
            decision.Kind == DecisionKind.Approve ? decision.Approval?.Timeout : null,
            Outcome.Describe(decision.Limits.Select(l => new Reservation(l.Limit.Counter, Scope(l.Limit.Scope), l.Increment, l.WindowStart.ToUnixTimeSeconds(), l.Rule))));
    }

    private static string Scope(LimitScope scope) => scope switch
    {
        LimitScope.Grant => "grant",
        LimitScope.Server => "server",
        _ => "session",
    };

    /// <summary>A decision reduced to what the policy reference defines, comparable by value.</summary>
    private sealed record Outcome(string Kind, string Rule, TimeSpan? ApprovalTimeout, string Limits)
    {
        public static string Describe(IEnumerable<Reservation> reservations) =>
            "[" + string.Join(", ", reservations.Select(r => r.ToString()).Order(StringComparer.Ordinal)) + "]";
    }

    private sealed record Reservation(string Counter, string Scope, long Increment, long WindowStart, string Rule)
    {
        public override string ToString() => $"{Counter}/{Scope} +{Increment} from {WindowStart} ({Rule})";
    }

    /// <summary>The docs/policy-reference.md, read literally, over the generated structure.</summary>
    private static class Reference
    {
        private static readonly Regex ToolNamePattern = new(@"^[A-Za-z0-9_.-]{1,128}\z", RegexOptions.CultureInvariant);
        private static readonly Regex SimpleKey = new(@"^[A-Za-z0-9_*-]+\z", RegexOptions.CultureInvariant);

        public static Outcome Evaluate(GeneratedPolicy policy, GeneratedCall call)
        {
            // 1. A tool name outside [A-Za-z0-9_.-]{1,128} is denied.
            if (!IsToolName(call.Tool))
            {
                return Denied("tool_name");
            }

            // 2. hide entries, then a rule with action hide.
            if (HideEntry(policy, call.Tool) is { } entry)
            {
                return new Outcome("Hide", $"hide[{entry}]", null, "[]");
            }

            var rule = RuleFor(policy, call.Tool);

            // 3. No rule: default decides (deny, or allow with all_tools.limits).
            if (rule is null)
            {
                return policy.Default == "deny"
                    ? Denied("default")
                    : Permit("Allow", "default", null, policy, [], call);
            }

            var path = "tools" + (SimpleKey.IsMatch(rule.Key) ? "." + rule.Key : "[\"" + rule.Key + "\"]");
            switch (rule.Action ?? "allow")
            {
                case "hide":
                    return new Outcome("Hide", path, null, "[]");
                case "deny":
                    // 4. action deny.
                    return Denied(path);
            }

            // 5. require in order (the first that fails denies), then deny_if in order (the first that holds denies);
            // an argument of the wrong type denies under both.
            var require = rule.Require ?? [];
            for (var i = 0; i < require.Length; i++)
            {
                if (Holds(require[i], call.Arguments) != true)
                {
                    return Denied($"{path}.require[{i}]");
                }
            }

            var denyIf = rule.DenyIf ?? [];
            for (var i = 0; i < denyIf.Length; i++)
            {
                if (Holds(denyIf[i], call.Arguments) != false)
                {
                    return Denied($"{path}.deny_if[{i}]");
                }
            }

            // 6. approve needs approval (15 minutes unless set), otherwise allowed; limits attached to both.
            return rule.Action == "approve"
                ? Permit("Approve", path, rule.ApprovalTimeout is { } timeout ? ParseDuration(timeout) : TimeSpan.FromMinutes(15), policy, rule.Limits ?? [], call, path)
                : Permit("Allow", path, null, policy, rule.Limits ?? [], call, path);
        }

        public static bool IsListed(GeneratedPolicy policy, string tool)
        {
            if (!IsToolName(tool) || HideEntry(policy, tool) is not null)
            {
                return false;
            }

            return RuleFor(policy, tool) is { } rule ? rule.Action != "hide" : policy.Default == "allow";
        }

        private static bool IsToolName(string tool) => ToolNamePattern.IsMatch(tool);

        /// <summary>The most specific matching hide entry, as for tools keys; the first of equally specific ones.</summary>
        private static int? HideEntry(GeneratedPolicy policy, string tool)
        {
            var hide = policy.Hide ?? [];
            int? best = null;
            var bestLength = -1;
            for (var i = 0; i < hide.Length; i++)
            {
                var entry = hide[i];
                var length = entry == tool ? int.MaxValue : entry.EndsWith('*') && tool.StartsWith(entry[..^1], StringComparison.Ordinal) ? entry.Length - 1 : -1;
                if (length > bestLength)
                {
                    best = i;
                    bestLength = length;
                }
            }

            return best;
        }

        /// <summary>The exact key, else the longest matching prefix key (keys are unique, so there are no ties).</summary>
        private static GeneratedRule? RuleFor(GeneratedPolicy policy, string tool)
        {
            var rules = policy.Tools ?? [];
            if (rules.FirstOrDefault(r => r.Key == tool) is { } exact)
            {
                return exact;
            }

            return rules
                .Where(r => r.Key.EndsWith('*') && tool.StartsWith(r.Key[..^1], StringComparison.Ordinal))
                .OrderByDescending(r => r.Key.Length)
                .FirstOrDefault();
        }

        private static Outcome Denied(string rule) => new("Deny", rule, null, "[]");

        private static Outcome Permit(string kind, string rule, TimeSpan? approval, GeneratedPolicy policy, GeneratedLimit[] own, GeneratedCall call, string? rulePath = null)
        {
            var declared = (policy.AllToolsLimits ?? []).Select((l, i) => (Limit: l, Path: $"all_tools.limits[{i}]"))
                .Concat(own.Select((l, i) => (Limit: l, Path: $"{rulePath}.limits[{i}]")));

            // A counter in a scope is one budget, counted once per call (the first declaration is the one counted).
            var seen = new HashSet<(string, string)>();
            var reservations = new List<Reservation>();
            var now = (decimal)call.At.ToUnixTimeMilliseconds() / 1000m;
            foreach (var (limit, path) in declared)
            {
                var scope = limit.Scope ?? "grant";
                if (!seen.Add((limit.Counter, scope)))
                {
                    continue;
                }

                long increment = 1;
                if (limit.IncrementFrom is not null)
                {
                    // Must be a non-negative whole number; otherwise the call is denied by this limit.
                    if (Resolve(call.Arguments, limit.IncrementFrom) is not JsonNumber number || number.Value < 0 || number.Value != Math.Floor(number.Value))
                    {
                        return Denied(path);
                    }

                    increment = (long)number.Value;
                }

                var windowStart = (long)Math.Floor(now / limit.WindowSeconds) * limit.WindowSeconds;
                reservations.Add(new Reservation(limit.Counter, scope, increment, windowStart, path));
            }

            return new Outcome(kind, rule, approval, Outcome.Describe(reservations));
        }

        /// <summary>True or false, or null for an argument of the wrong type.</summary>
        private static bool? Holds(GeneratedCondition condition, JsonValue? arguments)
        {
            var value = Resolve(arguments, condition.Path);
            if (condition.Op == "exists")
            {
                return (value is not null) == (condition.Value is not JsonBoolean { Value: false });
            }

            // A missing value satisfies no operator except exists.
            if (value is null)
            {
                return false;
            }

            var literal = condition.Value!;
            if (condition.Op is "eq" or "neq" or "in" or "not_in" && value is JsonObject or JsonArray)
            {
                return null;
            }

            switch (condition.Op)
            {
                case "eq":
                    return AreEqual(value, literal);
                case "neq":
                    return !AreEqual(value, literal);
                case "in":
                    return ((JsonArray)literal).Items.Any(item => AreEqual(value, item));
                case "not_in":
                    return !((JsonArray)literal).Items.Any(item => AreEqual(value, item));
                case "lt" or "lte" or "gt" or "gte":
                    if (value is not JsonNumber number)
                    {
                        return null;
                    }

                    var bound = ((JsonNumber)literal).Value;
                    return condition.Op switch
                    {
                        "lt" => number.Value < bound,
                        "lte" => number.Value <= bound,
                        "gt" => number.Value > bound,
                        _ => number.Value >= bound,
                    };
                case "regex":
                    return value is JsonString input ? Regex.IsMatch(input.Value, ((JsonString)literal).Value, RegexOptions.CultureInvariant) : null;
                default: // contains
                    return value switch
                    {
                        JsonString haystack => haystack.Value.Contains(Text(literal), StringComparison.Ordinal),
                        JsonArray array => array.Items.Any(item => AreEqual(item, literal)),
                        _ => null,
                    };
            }
        }

        /// <summary>The value at <c>args.a.b</c>, walking objects only; null when absent or JSON null.</summary>
        private static JsonValue? Resolve(JsonValue? arguments, string path)
        {
            var value = arguments;
            foreach (var name in path["args.".Length..].Split('.'))
            {
                value = value is JsonObject obj ? obj.Members.FirstOrDefault(m => m.Name == name)?.Value : null;
            }

            return value is JsonNull ? null : value;
        }

        /// <summary>
        /// Numbers compare as numbers, and a string that spells a number equals that number; otherwise values
        /// compare as printed text (true = "true"). Objects, arrays and null equal nothing.
        /// </summary>
        private static bool AreEqual(JsonValue argument, JsonValue literal)
        {
            if (argument is JsonNumber or JsonString && literal is JsonNumber or JsonString &&
                (argument is JsonNumber || literal is JsonNumber))
            {
                return AsNumber(argument) is { } a && AsNumber(literal) is { } b && a == b;
            }

            return argument is JsonString or JsonBoolean && Text(argument) == Text(literal);
        }

        private static double? AsNumber(JsonValue value) => value switch
        {
            JsonNumber number => number.Value,
            JsonString text when double.TryParse(text.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

        /// <summary>A scalar as printed: strings as themselves, numbers and booleans as written in the policy.</summary>
        private static string Text(JsonValue value) => value switch
        {
            JsonString text => text.Value,
            JsonNumber number => number.Text,
            JsonBoolean boolean => boolean.Value ? "true" : "false",
            _ => throw new InvalidOperationException("not a scalar: " + value),
        };

        private static TimeSpan ParseDuration(string text)
        {
            var n = long.Parse(text[..^1], CultureInfo.InvariantCulture);
            return text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }
    }

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

    private sealed record GeneratedCase(GeneratedPolicy Policy, GeneratedCall[] Calls)
    {
        public override string ToString() =>
            Policy.ToJson() + Environment.NewLine + string.Join(Environment.NewLine, Calls.Select(c => "  " + c));
    }

    private sealed record GeneratedPolicy(string Default, string[]? Hide, GeneratedLimit[]? AllToolsLimits, GeneratedRule[]? Tools)
    {
        public string ToJson()
        {
            var json = new StringBuilder("{\"version\":\"1\",\"default\":").Append(Quote(Default));
            if (Hide is not null)
            {
                json.Append(",\"hide\":[").AppendJoin(',', Hide.Select(Quote)).Append(']');
            }

            if (AllToolsLimits is not null)
            {
                json.Append(",\"all_tools\":{\"limits\":[").AppendJoin(',', AllToolsLimits.Select(l => l.ToJson())).Append("]}");
            }

            if (Tools is not null)
            {
                json.Append(",\"tools\":{").AppendJoin(',', Tools.Select(r => Quote(r.Key) + ":" + r.ToJson())).Append('}');
            }

            return json.Append('}').ToString();
        }
    }

    private sealed record GeneratedRule(
        string Key, string? Action, string? Reason, GeneratedCondition[]? Require, GeneratedCondition[]? DenyIf, GeneratedLimit[]? Limits, string? ApprovalTimeout)
    {
        public string ToJson()
        {
            var members = new List<string>();
            if (Action is not null)
            {
                members.Add("\"action\":" + Quote(Action));
            }

            if (Reason is not null)
            {
                members.Add("\"reason\":" + Quote(Reason));
            }

            if (Require is not null)
            {
                members.Add("\"require\":[" + string.Join(',', Require.Select(c => c.ToJson())) + "]");
            }

            if (DenyIf is not null)
            {
                members.Add("\"deny_if\":[" + string.Join(',', DenyIf.Select(c => c.ToJson())) + "]");
            }

            if (Limits is not null)
            {
                members.Add("\"limits\":[" + string.Join(',', Limits.Select(l => l.ToJson())) + "]");
            }

            if (ApprovalTimeout is not null)
            {
                members.Add("\"approval\":{\"timeout\":" + Quote(ApprovalTimeout) + "}");
            }

            return "{" + string.Join(',', members) + "}";
        }
    }

    private sealed record GeneratedCondition(string Path, string Op, JsonValue? Value)
    {
        public string ToJson() =>
            $"{{\"path\":{Quote(Path)},\"op\":{Quote(Op)}" + (Value is null ? "" : ",\"value\":" + Value.ToJson()) + "}";
    }

    private sealed record GeneratedLimit(
        string Counter, string? Scope, string Window, long WindowSeconds, long Max, string? IncrementFrom, string? OnStoreError)
    {
        public string ToJson() =>
            $"{{\"counter\":{Quote(Counter)},\"window\":{Window},\"max\":{Max}"
            + (Scope is null ? "" : ",\"scope\":" + Quote(Scope))
            + (IncrementFrom is null ? "" : ",\"increment_from\":" + Quote(IncrementFrom))
            + (OnStoreError is null ? "" : ",\"on_store_error\":" + Quote(OnStoreError))
            + "}";
    }

    private sealed record GeneratedCall(string Tool, JsonObject? Arguments, string Grant, string Server, string? Session, DateTimeOffset At)
    {
        public override string ToString() =>
            $"{Quote(Tool)} {Arguments?.ToJson() ?? "(no arguments)"} grant={Grant} session={Session ?? "(none)"} at={At:O} ({At.ToUnixTimeMilliseconds()} ms)";
    }

    /// <summary>A JSON value as generated: numbers keep the text they are written with.</summary>
    private abstract record JsonValue
    {
        public abstract string ToJson();
    }

    private sealed record JsonString(string Value) : JsonValue
    {
        public override string ToJson() => Quote(Value);
    }

    private sealed record JsonNumber(string Text) : JsonValue
    {
        public double Value { get; } = double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

        public override string ToJson() => Text;
    }

    private sealed record JsonBoolean(bool Value) : JsonValue
    {
        public override string ToJson() => Value ? "true" : "false";
    }

    private sealed record JsonNull : JsonValue
    {
        public override string ToJson() => "null";
    }

    private sealed record JsonArray(ImmutableArray<JsonValue> Items) : JsonValue
    {
        public override string ToJson() => "[" + string.Join(',', Items.Select(i => i.ToJson())) + "]";
    }

    private sealed record JsonMember(string Name, JsonValue Value);

    private sealed record JsonObject(ImmutableArray<JsonMember> Members) : JsonValue
    {
        public override string ToJson() => "{" + string.Join(',', Members.Select(m => Quote(m.Name) + ":" + m.Value.ToJson())) + "}";
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}

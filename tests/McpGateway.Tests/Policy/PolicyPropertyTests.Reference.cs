using System.Globalization;
using System.Text.RegularExpressions;

namespace McpGateway.Tests.Policy;

// The reference interpreter the compiled policy is compared with.
public sealed partial class PolicyPropertyTests
{
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
}

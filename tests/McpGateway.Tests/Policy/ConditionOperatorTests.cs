namespace McpGateway.Tests.Policy;

/// <summary>
/// Every condition operator against present, absent, null and wrong-type arguments (docs/policy-reference.md, "Conditions"),
/// each case checked under <c>require</c> and under <c>deny_if</c>: a missing argument fails a requirement
/// and never triggers a denial, and an argument of the wrong type denies under both.
/// </summary>
public sealed class ConditionOperatorTests
{
    /// <summary>What a single condition makes of one call.</summary>
    public enum Outcome
    {
        Holds,
        Fails,
        WrongType,
    }

    /// <summary>(path, op, value as JSON or null to omit it, arguments, outcome).</summary>
    public static TheoryData<string, string, string?, string, Outcome> Cases => new()
    {
        // eq: numbers compare as numbers, a string that spells a number equals it, the rest as printed text.
        { "args.a", "eq", "\"usd\"", """{"a":"usd"}""", Outcome.Holds },
        { "args.a", "eq", "\"usd\"", """{"a":"eur"}""", Outcome.Fails },
        { "args.a", "eq", "\"usd\"", """{"a":"USD"}""", Outcome.Fails },
        { "args.a", "eq", "\"usd\"", """{"a":"usd "}""", Outcome.Fails },
        { "args.a", "eq", "5", """{"a":5}""", Outcome.Holds },
        { "args.a", "eq", "5", """{"a":5.0}""", Outcome.Holds },
        { "args.a", "eq", "5", """{"a":5e0}""", Outcome.Holds },
        { "args.a", "eq", "5.0", """{"a":5}""", Outcome.Holds },
        { "args.a", "eq", "5", """{"a":"5"}""", Outcome.Holds },
        { "args.a", "eq", "5", """{"a":"5.0"}""", Outcome.Holds },
        { "args.a", "eq", "\"5\"", """{"a":5}""", Outcome.Holds },
        { "args.a", "eq", "\"5.0\"", """{"a":5}""", Outcome.Holds },
        { "args.a", "eq", "\"5\"", """{"a":"5.0"}""", Outcome.Fails },
        { "args.a", "eq", "5", """{"a":6}""", Outcome.Fails },
        { "args.a", "eq", "5", """{"a":"five"}""", Outcome.Fails },
        { "args.a", "eq", "0.1", """{"a":0.1}""", Outcome.Holds },
        { "args.a", "eq", "true", """{"a":true}""", Outcome.Holds },
        { "args.a", "eq", "true", """{"a":"true"}""", Outcome.Holds },
        { "args.a", "eq", "\"true\"", """{"a":true}""", Outcome.Holds },
        { "args.a", "eq", "true", """{"a":false}""", Outcome.Fails },
        { "args.a", "eq", "true", """{"a":"True"}""", Outcome.Fails },
        { "args.a", "eq", "true", """{"a":1}""", Outcome.Fails },
        { "args.a", "eq", "1", """{"a":true}""", Outcome.Fails },
        { "args.a", "eq", "false", """{"a":0}""", Outcome.Fails },
        { "args.a", "eq", "\"usd\"", """{"a":["usd"]}""", Outcome.WrongType },
        { "args.a", "eq", "\"usd\"", """{"a":{"usd":"usd"}}""", Outcome.WrongType },
        { "args.a", "eq", "\"usd\"", """{"a":[]}""", Outcome.WrongType },
        { "args.a", "eq", "\"usd\"", """{"a":{}}""", Outcome.WrongType },
        { "args.a", "eq", "\"usd\"", """{}""", Outcome.Fails },
        { "args.a", "eq", "\"usd\"", """{"a":null}""", Outcome.Fails },
        { "args.a", "eq", "\"usd\"", """{"b":"usd"}""", Outcome.Fails },

        // neq: the negation of eq for present values; a missing value satisfies neither.
        { "args.a", "neq", "\"usd\"", """{"a":"eur"}""", Outcome.Holds },
        { "args.a", "neq", "\"usd\"", """{"a":"usd"}""", Outcome.Fails },
        { "args.a", "neq", "5", """{"a":"5"}""", Outcome.Fails },
        { "args.a", "neq", "5", """{"a":5.0}""", Outcome.Fails },
        { "args.a", "neq", "5", """{"a":4}""", Outcome.Holds },
        { "args.a", "neq", "true", """{"a":"true"}""", Outcome.Fails },
        { "args.a", "neq", "\"usd\"", """{"a":["usd"]}""", Outcome.WrongType },
        { "args.a", "neq", "\"usd\"", """{"a":{}}""", Outcome.WrongType },
        { "args.a", "neq", "\"usd\"", """{"a":["eur"]}""", Outcome.WrongType },
        { "args.a", "neq", "\"usd\"", """{}""", Outcome.Fails },
        { "args.a", "neq", "\"usd\"", """{"a":null}""", Outcome.Fails },

        // in / not_in: eq against each listed value.
        { "args.a", "in", """["usd","eur"]""", """{"a":"eur"}""", Outcome.Holds },
        { "args.a", "in", """["usd","eur"]""", """{"a":"gbp"}""", Outcome.Fails },
        { "args.a", "in", """[1,2]""", """{"a":"2"}""", Outcome.Holds },
        { "args.a", "in", """[1,2]""", """{"a":2.0}""", Outcome.Holds },
        { "args.a", "in", """[true,"x"]""", """{"a":"true"}""", Outcome.Holds },
        { "args.a", "in", """["usd"]""", """{"a":["usd"]}""", Outcome.WrongType },
        { "args.a", "in", """["prod"]""", """{"a":{"v":"prod"}}""", Outcome.WrongType },
        { "args.a", "in", """["prod"]""", """{"a":[]}""", Outcome.WrongType },
        { "args.a", "in", """["usd","eur"]""", """{}""", Outcome.Fails },
        { "args.a", "in", """["usd","eur"]""", """{"a":null}""", Outcome.Fails },
        { "args.a", "not_in", """["usd","eur"]""", """{"a":"gbp"}""", Outcome.Holds },
        { "args.a", "not_in", """["usd","eur"]""", """{"a":"eur"}""", Outcome.Fails },
        { "args.a", "not_in", """[1]""", """{"a":"1"}""", Outcome.Fails },
        { "args.a", "not_in", """["usd"]""", """{"a":["usd"]}""", Outcome.WrongType },
        { "args.a", "not_in", """["usd"]""", """{"a":{"v":"eur"}}""", Outcome.WrongType },
        { "args.a", "not_in", """["usd","eur"]""", """{}""", Outcome.Fails },
        { "args.a", "not_in", """["usd","eur"]""", """{"a":null}""", Outcome.Fails },

        // lt / lte / gt / gte: numbers only; anything else present is the wrong type.
        { "args.a", "lt", "10", """{"a":9.99}""", Outcome.Holds },
        { "args.a", "lt", "10", """{"a":10}""", Outcome.Fails },
        { "args.a", "lt", "10", """{"a":-1e3}""", Outcome.Holds },
        { "args.a", "lte", "10", """{"a":10.0}""", Outcome.Holds },
        { "args.a", "lte", "10", """{"a":1e1}""", Outcome.Holds },
        { "args.a", "lte", "10", """{"a":10.5}""", Outcome.Fails },
        { "args.a", "gt", "1000", """{"a":1001}""", Outcome.Holds },
        { "args.a", "gt", "1000", """{"a":1000}""", Outcome.Fails },
        { "args.a", "gte", "1000", """{"a":1000}""", Outcome.Holds },
        { "args.a", "gte", "1000", """{"a":999.5}""", Outcome.Fails },
        { "args.a", "gt", "1000", """{"a":"5000"}""", Outcome.WrongType },
        { "args.a", "lt", "10", """{"a":"1"}""", Outcome.WrongType },
        { "args.a", "lte", "10", """{"a":true}""", Outcome.WrongType },
        { "args.a", "gte", "10", """{"a":[20]}""", Outcome.WrongType },
        { "args.a", "gt", "10", """{"a":{"value":20}}""", Outcome.WrongType },
        { "args.a", "gt", "1000", """{}""", Outcome.Fails },
        { "args.a", "gt", "1000", """{"a":null}""", Outcome.Fails },

        // regex: unanchored, strings only.
        { "args.a", "regex", "\"^ch_[0-9]+$\"", """{"a":"ch_123"}""", Outcome.Holds },
        { "args.a", "regex", "\"^ch_[0-9]+$\"", """{"a":"xch_123"}""", Outcome.Fails },
        { "args.a", "regex", "\"^ch_[0-9]+$\"", """{"a":"ch_123x"}""", Outcome.Fails },
        { "args.a", "regex", "\"ch_\"", """{"a":"refund ch_1 today"}""", Outcome.Holds },
        { "args.a", "regex", "\"^main$\"", """{"a":"Main"}""", Outcome.Fails },
        { "args.a", "regex", "\"^5$\"", """{"a":5}""", Outcome.WrongType },
        { "args.a", "regex", "\"true\"", """{"a":true}""", Outcome.WrongType },
        { "args.a", "regex", "\"ch_\"", """{"a":["ch_1"]}""", Outcome.WrongType },
        { "args.a", "regex", "\"ch_\"", """{"a":{}}""", Outcome.WrongType },
        { "args.a", "regex", "\"ch_\"", """{}""", Outcome.Fails },
        { "args.a", "regex", "\"ch_\"", """{"a":null}""", Outcome.Fails },

        // contains: substring of a string, or an element equal to the value (eq's equality) of an array.
        { "args.a", "contains", "\"test\"", """{"a":"a test charge"}""", Outcome.Holds },
        { "args.a", "contains", "\"test\"", """{"a":"a TEST charge"}""", Outcome.Fails },
        { "args.a", "contains", "\"\"", """{"a":""}""", Outcome.Holds },
        { "args.a", "contains", "5", """{"a":"order 15"}""", Outcome.Holds },
        { "args.a", "contains", "true", """{"a":"is true"}""", Outcome.Holds },
        { "args.a", "contains", "\"test\"", """{"a":["x","test"]}""", Outcome.Holds },
        { "args.a", "contains", "\"test\"", """{"a":["testing"]}""", Outcome.Fails },
        { "args.a", "contains", "\"test\"", """{"a":[]}""", Outcome.Fails },
        { "args.a", "contains", "\"test\"", """{"a":[null,{"test":1},["test"]]}""", Outcome.Fails },
        { "args.a", "contains", "5", """{"a":[4,5.0]}""", Outcome.Holds },
        { "args.a", "contains", "5", """{"a":["5"]}""", Outcome.Holds },
        { "args.a", "contains", "true", """{"a":["true"]}""", Outcome.Holds },
        { "args.a", "contains", "\"5\"", """{"a":5}""", Outcome.WrongType },
        { "args.a", "contains", "\"true\"", """{"a":true}""", Outcome.WrongType },
        { "args.a", "contains", "\"test\"", """{"a":{"test":"test"}}""", Outcome.WrongType },
        { "args.a", "contains", "\"test\"", """{}""", Outcome.Fails },
        { "args.a", "contains", "\"test\"", """{"a":null}""", Outcome.Fails },

        // exists: present and not null (true, the default) or missing (false).
        { "args.a", "exists", "true", """{"a":"x"}""", Outcome.Holds },
        { "args.a", "exists", "true", """{"a":""}""", Outcome.Holds },
        { "args.a", "exists", "true", """{"a":false}""", Outcome.Holds },
        { "args.a", "exists", "true", """{"a":[]}""", Outcome.Holds },
        { "args.a", "exists", "true", """{}""", Outcome.Fails },
        { "args.a", "exists", "true", """{"a":null}""", Outcome.Fails },
        { "args.a", "exists", null, """{"a":0}""", Outcome.Holds },
        { "args.a", "exists", null, """{}""", Outcome.Fails },
        { "args.a", "exists", "false", """{}""", Outcome.Holds },
        { "args.a", "exists", "false", """{"a":null}""", Outcome.Holds },
        { "args.a", "exists", "false", """{"a":0}""", Outcome.Fails },

        // Nested paths walk objects only; anything else on the way makes the value missing.
        { "args.a.b", "eq", "\"x\"", """{"a":{"b":"x"}}""", Outcome.Holds },
        { "args.a.b", "eq", "\"x\"", """{"a":{"b":"y"}}""", Outcome.Fails },
        { "args.a.b", "eq", "\"x\"", """{"a":"x"}""", Outcome.Fails },
        { "args.a.b", "eq", "\"x\"", """{"a":["x"]}""", Outcome.Fails },
        { "args.a.b", "eq", "\"x\"", """{"a":null}""", Outcome.Fails },
        { "args.a.b", "eq", "\"x\"", """{"b":"x"}""", Outcome.Fails },
        { "args.a.b", "neq", "\"x\"", """{"a":{"b":null}}""", Outcome.Fails },
        { "args.a.b", "gt", "1", """{"a":{"b":"2"}}""", Outcome.WrongType },
        { "args.a.b", "gt", "1", """{"a":{"b":2}}""", Outcome.Holds },
        { "args.a.b", "gt", "1", """{"a":"2"}""", Outcome.Fails },
        { "args.a.b", "exists", "false", """{"a":{"c":1}}""", Outcome.Holds },
        { "args.a.b", "exists", "false", """{"a":5}""", Outcome.Holds },
        { "args.a.b", "exists", "true", """{"a":{"b":{}}}""", Outcome.Holds },
        { "args.a.b.c", "contains", "\"x\"", """{"a":{"b":{"c":["x"]}}}""", Outcome.Holds },
        { "args.a.b.c", "contains", "\"x\"", """{"a":{"b":{"c":7}}}""", Outcome.WrongType },
    };

    /// <summary>Every case under both rule kinds: <c>require</c> allows only when the condition holds; <c>deny_if</c> denies when it holds or the type is wrong.</summary>
    public static TheoryData<string, string, string, string?, string, Outcome> CasesUnderEitherKind()
    {
        var data = new TheoryData<string, string, string, string?, string, Outcome>();
        foreach (var kind in new[] { "require", "deny_if" })
        {
            foreach (var row in Cases)
            {
                var (path, op, value, arguments, outcome) = ((string, string, string?, string, Outcome))(row[0], row[1], row[2], row[3], row[4]);
                data.Add(kind, path, op, value, arguments, outcome);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesUnderEitherKind))]
    public void ConditionOutcome_AllowsOrDeniesAsTheRuleKindSays(string kind, string path, string op, string? value, string arguments, Outcome outcome)
    {
        var decision = Compile(kind, path, op, value).Decide("t", arguments);

        var allowed = kind == "require" ? outcome == Outcome.Holds : outcome == Outcome.Fails;
        if (allowed)
        {
            Assert.Equal(DecisionKind.Allow, decision.Kind);
            Assert.Equal("tools.t", decision.Rule);
        }
        else
        {
            Assert.Equal(DecisionKind.Deny, decision.Kind);
            Assert.Equal($"tools.t.{kind}[0]", decision.Rule);
            Assert.Equal(outcome == Outcome.WrongType, decision.Reason!.StartsWith(path + " must be ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("require", "lte", "50000", """{"amount":60000}""", "requirement not met: args.amount lte 50000")]
    [InlineData("require", "in", """["usd", "eur"]""", """{"amount":"gbp"}""", "requirement not met: args.amount in [\"usd\", \"eur\"]")]
    [InlineData("require", "eq", "0.5", """{"amount":1}""", "requirement not met: args.amount eq 0.5")]
    [InlineData("require", "exists", "true", """{}""", "requirement not met: args.amount exists true")]
    [InlineData("deny_if", "contains", "\"test\"", """{"amount":"test"}""", "denied because args.amount contains \"test\"")]
    [InlineData("deny_if", "eq", "true", """{"amount":true}""", "denied because args.amount eq true")]
    [InlineData("deny_if", "regex", "\"^a\\\\d\"", """{"amount":"a1"}""", "denied because args.amount regex \"^a\\\\d\"")]
    [InlineData("require", "regex", "\"^ch_[0-9]+$\"", """{"amount":"ch_x"}""", "requirement not met: args.amount regex \"^ch_[0-9]+$\"")]
    [InlineData("deny_if", "eq", "\"café <b>\"", """{"amount":"café <b>"}""", "denied because args.amount eq \"café <b>\"")]
    public void Condition_RuleWithoutReason_ExplainsWhichConditionDecided(string clause, string op, string value, string arguments, string reason)
    {
        var decision = Compile(clause, "args.amount", op, value).Decide("t", arguments);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal(reason, decision.Reason);
    }

    [Theory]
    [InlineData("require", """{"amount":60000}""", "tools.t.require[0]")]
    [InlineData("deny_if", """{"amount":7}""", "tools.t.deny_if[0]")]
    public void Condition_RuleWithReason_DeniesWithTheRulesReason(string clause, string arguments, string rule)
    {
        var op = clause == "require" ? "lte" : "eq";
        var value = clause == "require" ? "50000" : "7";
        var policy = CompileRule($"\"reason\":\"Amounts above 500.00 need a person.\",\"{clause}\":[{Condition("args.amount", op, value)}]");

        var decision = policy.Decide("t", arguments);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal(rule, decision.Rule);
        Assert.Equal("Amounts above 500.00 need a person.", decision.Reason);
    }

    [Theory]
    [InlineData("require", "gt", "1000", """{"amount":"5000"}""", "args.amount must be a number (args.amount gt 1000)")]
    [InlineData("deny_if", "gt", "1000", """{"amount":"5000"}""", "args.amount must be a number (args.amount gt 1000)")]
    [InlineData("deny_if", "lt", "0", """{"amount":[1]}""", "args.amount must be a number (args.amount lt 0)")]
    [InlineData("require", "regex", "\"^ch_\"", """{"amount":12}""", "args.amount must be a string (args.amount regex \"^ch_\")")]
    [InlineData("deny_if", "contains", "\"x\"", """{"amount":{"x":1}}""", "args.amount must be a string or an array (args.amount contains \"x\")")]
    [InlineData("deny_if", "in", """["prod"]""", """{"amount":["prod"]}""", "args.amount must be a string, a number or a boolean (args.amount in [\"prod\"])")]
    [InlineData("deny_if", "eq", "\"prod\"", """{"amount":{"v":"prod"}}""", "args.amount must be a string, a number or a boolean (args.amount eq \"prod\")")]
    [InlineData("require", "not_in", """["prod"]""", """{"amount":["dev"]}""", "args.amount must be a string, a number or a boolean (args.amount not_in [\"prod\"])")]
    [InlineData("require", "neq", "\"prod\"", """{"amount":{}}""", "args.amount must be a string, a number or a boolean (args.amount neq \"prod\")")]
    public void Condition_ArgumentOfWrongType_DeniesNamingTheExpectedTypeEvenWhenTheRuleHasAReason(string clause, string op, string value, string arguments, string reason)
    {
        var policy = CompileRule($"\"reason\":\"Rule reason.\",\"{clause}\":[{Condition("args.amount", op, value)}]");

        var decision = policy.Decide("t", arguments);

        Assert.Equal(DecisionKind.Deny, decision.Kind);
        Assert.Equal($"tools.t.{clause}[0]", decision.Rule);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Condition_ArgumentsWithEscapedAndLongStrings_ComparedByTheirDecodedText()
    {
        var longValue = new string('x', 400) + "test";
        var policy = PolicyTestKit.Compile("""
            {"version":"1","default":"deny","tools":{"t":{"deny_if":[
              {"path":"args.a","op":"eq","value":"caf\u00e9 \"quoted\""},
              {"path":"args.b","op":"contains","value":"test"},
              {"path":"args.c","op":"regex","value":"^é+$"}]}}}
            """);

        Assert.Equal("tools.t.deny_if[0]", policy.Decide("t", """{"a":"café \"quoted\""}""").Rule);
        Assert.Equal("tools.t.deny_if[0]", policy.Decide("t", """{"a":"caf\u00e9 \u0022quoted\u0022"}""").Rule);
        Assert.Equal("tools.t.deny_if[1]", policy.Decide("t", $$"""{"b":"{{longValue}}"}""").Rule);
        Assert.Equal("tools.t.deny_if[1]", policy.Decide("t", $$"""{"b":"{{longValue}}\n"}""").Rule);
        Assert.Equal("tools.t.deny_if[2]", policy.Decide("t", """{"c":"\u00e9\u00e9"}""").Rule);
        Assert.Equal("tools.t", policy.Decide("t", """{"a":"cafe \"quoted\"","b":"tes","c":"e"}""").Rule);
    }

    private static CompiledPolicy Compile(string clause, string path, string op, string? value) =>
        CompileRule($"\"{clause}\":[{Condition(path, op, value)}]");

    /// <summary>A default-deny policy whose only rule, for tool <c>t</c>, has the members in <paramref name="ruleMembers"/>.</summary>
    private static CompiledPolicy CompileRule(string ruleMembers) =>
        PolicyTestKit.Compile("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{" + ruleMembers + "}}}");

    private static string Condition(string path, string op, string? value) =>
        $"{{\"path\":\"{path}\",\"op\":\"{op}\"" + (value is null ? "" : $",\"value\":{value}") + "}";
}

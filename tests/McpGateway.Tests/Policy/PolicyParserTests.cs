namespace McpGateway.Tests.Policy;

/// <summary>
/// Invalid documents and the exact problems they produce (docs/policy-reference.md, "Validation"): every problem in one
/// pass, each as <c>path: message (line L, column C)</c> where the position is the first character of the
/// offending token (the member name for unknown fields and duplicate keys, the enclosing object for a
/// missing field). Lines and columns are 1-based and count characters, not bytes.
/// </summary>
public sealed partial class PolicyParserTests
{
    private const string BadToolName = "use 1-128 characters of A-Z a-z 0-9 _ . - (optionally ending in *)";
    private const string BadWindow = "use \"minute\", \"hour\", \"day\" or a whole number of seconds from 1 to 31536000";
    private const string BadPath = "use \"args.\" followed by dot-separated names, e.g. \"args.customer.id\"";
    private const string BadDuration = "use a whole number followed by s, m, h or d, at most 7d";
    private const string NullValue = "null never matches: an argument that is null counts as missing (use the exists operator)";
    private const string DocumentFields = "(allowed here: version, default, hide, all_tools, tools, mode, resources, prompts)";


    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    [MemberData(nameof(InvalidFields))]
    [MemberData(nameof(InvalidValues))]
    public void Parse_InvalidDocument_ReportsEveryProblemAtItsToken(string @case, string document, string[] problems)
    {
        var result = PolicyParser.Parse(document);

        Assert.False(result.IsValid, @case);
        Assert.Null(result.Document);
        Assert.Equal(problems, result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnoredAndPositionsStartAfterIt()
    {
        var document = "\uFEFF{\"version\":\"1\",\"default\":\"deny\",\"extra\":1}"u8.ToArray();

        var result = PolicyParser.Parse(document);

        Assert.Equal([$"extra: unknown field \"extra\" {DocumentFields} (line 1, column 33)"], result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Parse_ReadmeRulesExample_IsValidWithTheDocumentedDefaults()
    {
        var result = PolicyParser.Parse("""
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "list_charges": {},
                "delete_customer": { "action": "deny", "reason": "Customers are deleted by the billing team." },
                "create_payout":   { "action": "approve", "approval": { "timeout": "30m" } },
                "create_charge": {
                  "reason": "Charges must be in USD or EUR and at most 500.00.",
                  "require": [ { "path": "args.amount", "op": "lte", "value": 50000 },
                               { "path": "args.currency", "op": "in", "value": ["usd", "eur"] } ],
                  "deny_if": [ { "path": "args.description", "op": "contains", "value": "test" } ],
                  "limits":  [ { "counter": "charge_amount_daily", "window": "day", "max": 2000000, "increment_from": "args.amount" } ]
                },
                "delete_*": { "action": "deny" },
                "merge": { "action": "approve", "require": [ { "path": "args.sha", "op": "exists" } ] }
              }
            }
            """);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        var tools = result.Document.Tools.ToDictionary(t => t.Key);
        Assert.Equal(DefaultAction.Deny, result.Document.Default);
        Assert.Equal(RuleAction.Allow, tools["list_charges"].Action);
        Assert.Equal(TimeSpan.FromMinutes(30), tools["create_payout"].Approval!.Timeout);
        Assert.Equal(ApprovalSettings.Default, tools["merge"].Approval);
        Assert.Equal(TimeSpan.FromMinutes(15), ApprovalSettings.Default.Timeout);
        Assert.Equal(PolicyValue.True, tools["merge"].Require[0].Value);
        Assert.Null(tools["list_charges"].Approval);
        Assert.True(tools["delete_*"].IsPrefix);
        var limit = Assert.Single(tools["create_charge"].Limits);
        Assert.Equal(new PolicyLimit("charge_amount_daily", 86_400, 2_000_000, LimitScope.Grant, "args.amount", StoreErrorMode.Deny), limit);
    }
}

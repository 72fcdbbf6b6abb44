using McpGateway.Policy;

namespace McpGateway.Tests.Policy;

/// <summary>
/// Invalid documents and the exact problems they produce (docs/policy-reference.md, "Validation"): every problem in one
/// pass, each as <c>path: message (line L, column C)</c> where the position is the first character of the
/// offending token (the member name for unknown fields and duplicate keys, the enclosing object for a
/// missing field). Lines and columns are 1-based and count characters, not bytes.
/// </summary>
public sealed class PolicyParserTests
{
    private const string BadToolName = "use 1-128 characters of A-Z a-z 0-9 _ . - (optionally ending in *)";
    private const string BadWindow = "use \"minute\", \"hour\", \"day\" or a whole number of seconds from 1 to 31536000";
    private const string BadPath = "use \"args.\" followed by dot-separated names, e.g. \"args.customer.id\"";
    private const string BadDuration = "use a whole number followed by s, m, h or d, at most 7d";
    private const string NullValue = "null never matches: an argument that is null counts as missing (use the exists operator)";
    private const string DocumentFields = "(allowed here: version, default, hide, all_tools, tools, mode, resources, prompts)";

    /// <summary>(case, document, every expected problem in order).</summary>
    public static TheoryData<string, string, string[]> InvalidDocuments => new()
    {
        {
            "syntax error: a bare word where a value belongs",
            """
            {
              "version": "1",
              "default": deny
            }
            """,
            ["$: invalid JSON: 'd' is an invalid start of a value (line 3, column 14)"]
        },
        {
            "syntax error after a non-ASCII character: the column counts characters",
            """
            {
              "version": "1",
              "default": "deny",
              "hide": ["café" "x"]
            }
            """,
            ["$: invalid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']' (line 4, column 19)"]
        },
        {
            "a string holding a lone surrogate escape",
            """
            {
              "version": "1",
              "default": "deny",
              "hide": ["a\uD800"]
            }
            """,
            ["$: invalid JSON: Cannot read incomplete UTF-16 JSON text as string with missing low surrogate (line 4, column 12)"]
        },
        {
            "empty document",
            "",
            ["$: the document is empty (line 1, column 1)"]
        },
        {
            "blank document",
            " \n\t\r\n",
            ["$: the document is empty (line 1, column 1)"]
        },
        {
            "root is an array",
            "\n  [1]",
            ["$: must be an object, not an array (line 2, column 3)"]
        },
        {
            "root is a string",
            "\"1\"",
            ["$: must be an object, not a string (line 1, column 1)"]
        },
        {
            "version and default missing: reported at the object that lacks them",
            """
            {
              "tools": {}
            }
            """,
            [
                "default: required field is missing (use \"allow\" or \"deny\") (line 1, column 1)",
                "version: required field is missing (use \"1\") (line 1, column 1)",
            ]
        },
        {
            "unsupported version string",
            """
            {
              "version": "2",
              "default": "deny"
            }
            """,
            ["version: unsupported version \"2\"; this gateway reads version \"1\" (line 2, column 14)"]
        },
        {
            "version as a number",
            """{"version":1,"default":"deny"}""",
            ["version: unsupported version 1; this gateway reads version \"1\" (line 1, column 12)"]
        },
        {
            "CRLF line endings do not shift columns",
            "{\r\n  \"version\": \"1.0\",\r\n  \"default\": \"deny\"\r\n}",
            ["version: unsupported version \"1.0\"; this gateway reads version \"1\" (line 2, column 14)"]
        },
        {
            "unknown fields at every level",
            """
            {
              "version": "1",
              "default": "deny",
              "comment": "x",
              "all_tools": { "limits": [], "note": 1 },
              "tools": {
                "t": {
                  "actions": "deny",
                  "require": [ { "path": "args.a", "op": "exists", "values": true } ],
                  "limits": [ { "counter": "c", "window": "minute", "max": 1, "per": "grant" } ]
                },
                "p": { "action": "approve", "approval": { "timeout": "15m", "ttl": "1h" } }
              }
            }
            """,
            [
                $"comment: unknown field \"comment\" {DocumentFields} (line 4, column 3)",
                "all_tools.note: unknown field \"note\" (allowed here: limits, mode, validate_arguments) (line 5, column 32)",
                "tools.t.actions: unknown field \"actions\" (allowed here: action, reason, require, deny_if, limits, approval, mode, validate_arguments) (line 8, column 7)",
                "tools.t.require[0].values: unknown field \"values\" (allowed here: path, op, value) (line 9, column 56)",
                "tools.t.limits[0].per: unknown field \"per\" (allowed here: counter, window, max, scope, increment_from, on_store_error, mode) (line 10, column 67)",
                "tools.p.approval.ttl: unknown field \"ttl\" (allowed here: timeout, include_arguments) (line 12, column 65)",
            ]
        },
        {
            "wrong types at the document level",
            """
            {
              "version": "1",
              "default": true,
              "hide": "admin_users",
              "all_tools": [],
              "tools": []
            }
            """,
            [
                "default: must be \"allow\" or \"deny\", not a boolean (line 3, column 14)",
                "hide: must be an array of tool names, not a string (line 4, column 11)",
                "all_tools: must be an object, not an array (line 5, column 16)",
                "tools: must be an object mapping tool names to rules, not an array (line 6, column 12)",
            ]
        },
        {
            "wrong types in hide and in rules",
            """
            {
              "version": "1",
              "default": "deny",
              "hide": [1, null],
              "tools": {
                "a": "allow",
                "b": { "action": "block", "reason": 5, "require": {}, "deny_if": ["x"], "limits": {} }
              }
            }
            """,
            [
                "hide[0]: must be a tool name, not a number (line 4, column 12)",
                "hide[1]: must be a tool name, not null (line 4, column 15)",
                "tools.a: must be an object, not a string (line 6, column 10)",
                "tools.b.action: must be \"allow\", \"deny\", \"hide\" or \"approve\", not \"block\" (line 7, column 22)",
                "tools.b.reason: must be a string, not a number (line 7, column 41)",
                "tools.b.require: must be an array of conditions, not an object (line 7, column 55)",
                "tools.b.deny_if[0]: must be an object, not a string (line 7, column 71)",
                "tools.b.limits: must be an array of limits, not an object (line 7, column 87)",
            ]
        },
        {
            "wrong types in conditions and limits",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "t": {
                  "require": [
                    { "path": 5, "op": "eq", "value": 1 },
                    { "path": "amount", "op": "eq", "value": 1 },
                    { "path": "args.a", "op": 5, "value": 1 },
                    { "path": "args.a", "op": "eq", "value": {} },
                    { "path": "args.a", "op": "regex", "value": 5 },
                    { "path": "args.a", "op": "exists", "value": "yes" },
                    { "path": "args.a", "op": "in", "value": "usd" },
                    { "path": "args.a", "op": "not_in", "value": ["usd", ["eur"]] }
                  ],
                  "limits": [
                    { "counter": 5, "window": "minute", "max": 1 },
                    { "counter": "c", "window": "minute", "max": 1, "scope": "user", "on_store_error": "ignore", "increment_from": "amount" }
                  ]
                }
              }
            }
            """,
            [
                "tools.t.require[0].path: must be a path such as \"args.amount\", not a number (line 7, column 19)",
                $"tools.t.require[1].path: invalid argument path \"amount\": {BadPath} (line 8, column 19)",
                "tools.t.require[2].op: must be a string, not a number (line 9, column 35)",
                "tools.t.require[3].value: must be a string, number or boolean, not an object (line 10, column 50)",
                "tools.t.require[4].value: must be a regular expression string, not a number (line 11, column 53)",
                "tools.t.require[5].value: operator exists needs true or false, not a string (line 12, column 54)",
                "tools.t.require[6].value: must be a non-empty array of strings, numbers or booleans, not a string (line 13, column 50)",
                "tools.t.require[7].value[1]: must be a string, number or boolean, not an array (line 14, column 62)",
                "tools.t.limits[0].counter: must be a counter name, not a number (line 17, column 22)",
                "tools.t.limits[1].scope: must be \"grant\", \"server\" or \"session\", not \"user\" (line 18, column 66)",
                "tools.t.limits[1].on_store_error: must be \"deny\" or \"allow\", not \"ignore\" (line 18, column 92)",
                $"tools.t.limits[1].increment_from: invalid argument path \"amount\": {BadPath} (line 18, column 120)",
            ]
        },
        {
            "required fields of conditions and limits missing",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "t": {
                  "require": [
                    { },
                    { "op": "exists" }
                  ],
                  "limits": [ { } ]
                }
              }
            }
            """,
            [
                "tools.t.require[0].op: required field is missing (line 7, column 9)",
                "tools.t.require[0].path: required field is missing (line 7, column 9)",
                "tools.t.require[1].path: required field is missing (line 8, column 9)",
                "tools.t.limits[0].counter: required field is missing (line 10, column 19)",
                "tools.t.limits[0].max: required field is missing (line 10, column 19)",
                "tools.t.limits[0].window: required field is missing (use \"minute\", \"hour\", \"day\" or a number of seconds) (line 10, column 19)",
            ]
        },
        {
            // The policy reference's own example output, position for position.
            "unknown operator and max of 0",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "create_charge": {
                  "require": [
                    { "path": "args.amount", "op": "lessthan", "value": 50000 }
                  ],
                  "limits": [ { "counter": "daily", "window": "day", "max": 0 } ]
                }
              }
            }
            """,
            [
                "tools.create_charge.require[0].op: unknown operator \"lessthan\" (line 7, column 40)",
                "tools.create_charge.limits[0].max: must be a whole number of at least 1, not 0 (line 9, column 65)",
            ]
        },
        {
            "unknown windows",
            """
            {
              "version": "1",
              "default": "deny",
              "all_tools": {
                "limits": [
                  { "counter": "a", "window": "week", "max": 1 },
                  { "counter": "b", "window": 0, "max": 1 },
                  { "counter": "c", "window": -60, "max": 1 },
                  { "counter": "d", "window": 31536001, "max": 1 },
                  { "counter": "e", "window": "60", "max": 1 },
                  { "counter": "f", "window": 1.5, "max": 1 },
                  { "counter": "g", "window": "Minute", "max": 1 },
                  { "counter": "h", "max": 1 }
                ]
              }
            }
            """,
            [
                $"all_tools.limits[0].window: unknown window \"week\": {BadWindow} (line 6, column 35)",
                $"all_tools.limits[1].window: unknown window 0: {BadWindow} (line 7, column 35)",
                $"all_tools.limits[2].window: unknown window -60: {BadWindow} (line 8, column 35)",
                $"all_tools.limits[3].window: unknown window 31536001: {BadWindow} (line 9, column 35)",
                $"all_tools.limits[4].window: unknown window \"60\": {BadWindow} (line 10, column 35)",
                $"all_tools.limits[5].window: unknown window 1.5: {BadWindow} (line 11, column 35)",
                $"all_tools.limits[6].window: unknown window \"Minute\": {BadWindow} (line 12, column 35)",
                "all_tools.limits[7].window: required field is missing (use \"minute\", \"hour\", \"day\" or a number of seconds) (line 13, column 7)",
            ]
        },
        {
            "max below 1, fractional, a string, null, missing",
            """
            {
              "version": "1",
              "default": "deny",
              "all_tools": {
                "limits": [
                  { "counter": "a", "window": "day", "max": 0 },
                  { "counter": "b", "window": "day", "max": -1 },
                  { "counter": "c", "window": "day", "max": 1.5 },
                  { "counter": "d", "window": "day", "max": "10" },
                  { "counter": "e", "window": "day", "max": null },
                  { "counter": "f", "window": "day" }
                ]
              }
            }
            """,
            [
                "all_tools.limits[0].max: must be a whole number of at least 1, not 0 (line 6, column 49)",
                "all_tools.limits[1].max: must be a whole number of at least 1, not -1 (line 7, column 49)",
                "all_tools.limits[2].max: must be a whole number of at least 1, not 1.5 (line 8, column 49)",
                "all_tools.limits[3].max: must be a whole number of at least 1, not \"10\" (line 9, column 49)",
                "all_tools.limits[4].max: must be a whole number of at least 1, not null (line 10, column 49)",
                "all_tools.limits[5].max: required field is missing (line 11, column 7)",
            ]
        },
        {
            "regular expressions that do not compile or need backtracking",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "t": {
                  "deny_if": [
                    { "path": "args.a", "op": "regex", "value": "(unclosed" },
                    { "path": "args.a", "op": "regex", "value": "(a)\\1" },
                    { "path": "args.a", "op": "regex", "value": "^(?!main$)" }
                  ]
                }
              }
            }
            """,
            [
                "tools.t.deny_if[0].value: regular expression does not compile: Invalid pattern '(unclosed' at offset 9. Not enough )'s. (line 7, column 53)",
                "tools.t.deny_if[1].value: regular expression does not compile: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'backreference (\\ number)'. (line 8, column 53)",
                "tools.t.deny_if[2].value: regular expression does not compile: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'negative lookahead (?! pattern) or negative lookbehind (?<! pattern)'. (line 9, column 53)",
            ]
        },
        {
            "non-numeric values for numeric operators, and a missing value",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "t": {
                  "require": [
                    { "path": "args.a", "op": "lt", "value": "10" },
                    { "path": "args.a", "op": "gte", "value": true },
                    { "path": "args.a", "op": "gt" }
                  ]
                }
              }
            }
            """,
            [
                "tools.t.require[0].value: operator lt needs a number, not a string (line 7, column 50)",
                "tools.t.require[1].value: operator gte needs a number, not a boolean (line 8, column 51)",
                "tools.t.require[2].value: required field is missing (line 9, column 9)",
            ]
        },
        {
            "empty in list and null values",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "t": {
                  "require": [
                    { "path": "args.a", "op": "in", "value": [] },
                    { "path": "args.a", "op": "eq", "value": null },
                    { "path": "args.a", "op": "not_in", "value": ["x", null] },
                    { "path": "args.a", "op": "contains", "value": null }
                  ]
                }
              }
            }
            """,
            [
                "tools.t.require[0].value: must list at least one value (line 7, column 50)",
                $"tools.t.require[1].value: {NullValue} (line 8, column 50)",
                $"tools.t.require[2].value[1]: {NullValue} (line 9, column 60)",
                $"tools.t.require[3].value: {NullValue} (line 10, column 56)",
            ]
        },
        {
            "duplicate keys: the second occurrence is reported",
            """
            {
              "version": "1",
              "default": "deny",
              "default": "allow",
              "tools": {
                "t": { "action": "deny", "action": "allow" },
                "t": {}
              }
            }
            """,
            [
                "default: duplicate key \"default\" (line 4, column 3)",
                "tools.t.action: duplicate key \"action\" (line 6, column 30)",
                "tools.t: duplicate key \"t\" (line 7, column 5)",
            ]
        },
        {
            "invalid tool names in hide and tools",
            """
            {
              "version": "1",
              "default": "deny",
              "hide": ["admin users", "**", "café", ""],
              "tools": {
                "a*b": {},
                "": {},
                "create\u200Bcharge": {},
                "ok": {}
              }
            }
            """,
            [
                $"hide[0]: invalid tool name \"admin users\": {BadToolName} (line 4, column 12)",
                $"hide[1]: invalid tool name \"**\": {BadToolName} (line 4, column 27)",
                $"hide[2]: invalid tool name \"café\": {BadToolName} (line 4, column 33)",
                $"hide[3]: invalid tool name \"\": {BadToolName} (line 4, column 41)",
                $"tools.a*b: invalid tool name \"a*b\": {BadToolName} (line 6, column 5)",
                $"tools[\"\"]: invalid tool name \"\": {BadToolName} (line 7, column 5)",
                $"tools[\"create\u200Bcharge\"]: invalid tool name \"create\u200Bcharge\": {BadToolName} (line 8, column 5)",
            ]
        },
        {
            "a 129-character tool name; 128 characters and a star are fine",
            "{\"version\":\"1\",\"default\":\"deny\",\"hide\":[\"" + new string('a', 129) + "\",\"" + new string('b', 128) + "*\"]}",
            [$"hide[0]: invalid tool name \"{new string('a', 129)}\": {BadToolName} (line 1, column 41)"]
        },
        {
            "invalid counter names",
            """
            {
              "version": "1",
              "default": "deny",
              "all_tools": {
                "limits": [
                  { "counter": "calls per minute", "window": "minute", "max": 1 },
                  { "counter": "", "window": "minute", "max": 1 },
                  { "counter": "calls*", "window": "minute", "max": 1 },
                  { "window": "minute", "max": 1 }
                ]
              }
            }
            """,
            [
                "all_tools.limits[0].counter: invalid counter name \"calls per minute\": use 1-128 characters of A-Z a-z 0-9 _ . - (line 6, column 20)",
                "all_tools.limits[1].counter: invalid counter name \"\": use 1-128 characters of A-Z a-z 0-9 _ . - (line 7, column 20)",
                "all_tools.limits[2].counter: invalid counter name \"calls*\": use 1-128 characters of A-Z a-z 0-9 _ . - (line 8, column 20)",
                "all_tools.limits[3].counter: required field is missing (line 9, column 7)",
            ]
        },
        {
            "a shared counter declared with another window or max in the same scope",
            """
            {
              "version": "1",
              "default": "deny",
              "all_tools": {
                "limits": [ { "counter": "calls", "window": "minute", "max": 60 } ]
              },
              "tools": {
                "a": { "limits": [ { "counter": "calls", "window": "hour", "max": 60 } ] },
                "b": { "limits": [ { "counter": "calls", "window": "minute", "max": 61 } ] },
                "c": { "limits": [ { "counter": "calls", "window": 60, "max": 60 } ] },
                "d": { "limits": [ { "counter": "calls", "window": "hour", "max": 60, "scope": "server" } ] },
                "e": { "limits": [ { "counter": "calls", "window": "day", "max": 1, "scope": "server" } ] }
              }
            }
            """,
            [
                "tools.a.limits[0]: counter \"calls\" (grant scope) is already declared at all_tools.limits[0] with another window, max, increment_from or mode; limits sharing a counter share one budget, so declare them alike or use another counter name (line 8, column 24)",
                "tools.b.limits[0]: counter \"calls\" (grant scope) is already declared at all_tools.limits[0] with another window, max, increment_from or mode; limits sharing a counter share one budget, so declare them alike or use another counter name (line 9, column 24)",
                "tools.e.limits[0]: counter \"calls\" (server scope) is already declared at tools.d.limits[0] with another window, max, increment_from or mode; limits sharing a counter share one budget, so declare them alike or use another counter name (line 12, column 24)",
            ]
        },
        {
            "approval settings on rules that do not approve, and bad timeouts",
            """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "a": { "approval": { "timeout": "15m" } },
                "b": { "action": "deny", "approval": {} },
                "c": { "action": "approve", "approval": { "timeout": "0m" } },
                "d": { "action": "approve", "approval": { "timeout": "8d" } },
                "e": { "action": "approve", "approval": { "timeout": "15" } },
                "f": { "action": "approve", "approval": { "timeout": 15 } },
                "g": { "action": "approve", "approval": { "timeout": "1w" } },
                "h": { "action": "approve", "approval": { "timeout": "7d" } },
                "i": { "action": "approve", "approval": "15m" }
              }
            }
            """,
            [
                "tools.a.approval: approval settings apply only to \"action\": \"approve\" (line 5, column 24)",
                "tools.b.approval: approval settings apply only to \"action\": \"approve\" (line 6, column 42)",
                $"tools.c.approval.timeout: invalid duration \"0m\": {BadDuration} (line 7, column 58)",
                $"tools.d.approval.timeout: invalid duration \"8d\": {BadDuration} (line 8, column 58)",
                $"tools.e.approval.timeout: invalid duration \"15\": {BadDuration} (line 9, column 58)",
                "tools.f.approval.timeout: must be a duration such as \"15m\", not a number (line 10, column 58)",
                $"tools.g.approval.timeout: invalid duration \"1w\": {BadDuration} (line 11, column 58)",
                "tools.i.approval: must be an object, not a string (line 13, column 45)",
            ]
        },
        {
            "many problems at every level: all reported, in document order",
            """
            {
              "tools": {
                "create_charge": {
                  "require": [ { "path": "args.amount", "op": "lessthan", "value": 5 } ],
                  "limits": [ { "counter": "c", "window": "week", "max": 0 } ]
                },
                "bad name": {}
              },
              "version": "2",
              "hide": ["ok", "not ok"],
              "all_tools": { "limits": [ { "counter": "c", "window": "day", "max": 1 } ] },
              "extra": true,
              "version": "1"
            }
            """,
            [
                "default: required field is missing (use \"allow\" or \"deny\") (line 1, column 1)",
                "tools.create_charge.require[0].op: unknown operator \"lessthan\" (line 4, column 51)",
                $"tools.create_charge.limits[0].window: unknown window \"week\": {BadWindow} (line 5, column 47)",
                "tools.create_charge.limits[0].max: must be a whole number of at least 1, not 0 (line 5, column 62)",
                $"tools[\"bad name\"]: invalid tool name \"bad name\": {BadToolName} (line 7, column 5)",
                "version: unsupported version \"2\"; this gateway reads version \"1\" (line 9, column 14)",
                $"hide[1]: invalid tool name \"not ok\": {BadToolName} (line 10, column 18)",
                $"extra: unknown field \"extra\" {DocumentFields} (line 12, column 3)",
                "version: duplicate key \"version\" (line 13, column 3)",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
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

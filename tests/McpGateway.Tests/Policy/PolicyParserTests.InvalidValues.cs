namespace McpGateway.Tests.Policy;

public sealed partial class PolicyParserTests
{
    /// <summary>Fields of the right type with values the policy cannot hold: (case, document, every expected problem in order).</summary>
    public static TheoryData<string, string, string[]> InvalidValues => new()
    {
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
}

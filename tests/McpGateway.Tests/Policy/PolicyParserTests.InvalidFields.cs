namespace McpGateway.Tests.Policy;

public sealed partial class PolicyParserTests
{
    /// <summary>Unknown fields, wrong types and missing required fields: (case, document, every expected problem in order).</summary>
    public static TheoryData<string, string, string[]> InvalidFields => new()
    {
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
    };
}

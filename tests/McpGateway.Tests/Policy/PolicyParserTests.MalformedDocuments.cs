namespace McpGateway.Tests.Policy;

public sealed partial class PolicyParserTests
{
    /// <summary>Documents that are not JSON, not an object, or of no supported version: (case, document, every expected problem in order).</summary>
    public static TheoryData<string, string, string[]> MalformedDocuments => new()
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
    };
}

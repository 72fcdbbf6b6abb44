namespace McpGateway.Testing;

/// <summary>
/// Names on either side of MCP's tool-name rule (1-128 characters of A-Z a-z 0-9 _ . -), in one place for the
/// policy's tests and the wire's. Every name here can stand in a JSON string unescaped, so a test can send it
/// as raw UTF-8 characters rather than as <c>\u</c> escapes.
/// </summary>
internal static class ToolNameExamples
{
    public static IReadOnlyList<string> Valid { get; } =
    [
        "a",
        "Az09_.-",
        "github.create_issue",
        new string('a', 128),
    ];

    public static IReadOnlyList<string> Invalid { get; } =
    [
        "",
        new string('a', 129),
        "create charge",
        "create/charge",
        "*",
        "delete_*",
        "echo ",
        // Look-alikes: an accented letter, Cyrillic с and е, and a zero-width space inside, before and after.
        "create_chargé",
        "сreate_charge",
        "\u0435cho",
        "create\u200Bcharge",
        "\u200Becho",
        "echo\u200B",
    ];
}

using System.Text;
using System.Text.Json;

namespace McpGateway.Testing;

/// <summary>
/// The arguments of the <c>write_note</c> call the benchmarks and the load harness send: a title, a priority and
/// content of a chosen length. Prose, not one repeated character, so the policy's substring scan and the JSON
/// reader see the kind of text an agent sends.
/// </summary>
internal static class NoteArguments
{
    private const string Prose = "The quarterly review covers revenue, hiring and the migration of the billing service. ";

    /// <summary>The arguments object as compact JSON, its content exactly <paramref name="contentChars"/> long.</summary>
    public static string Json(int contentChars)
    {
        var content = new StringBuilder(contentChars + Prose.Length);
        while (content.Length < contentChars)
        {
            content.Append(Prose);
        }

        content.Length = contentChars;
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["title"] = "Quarterly review notes",
            ["priority"] = "normal",
            ["content"] = content.ToString(),
        });
    }
}

using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace McpGateway.Tools;

/// <summary>
/// Classifies a tool from what its upstream lists: the verbs of its name, the verbs its description opens
/// sentences with, and an enum-valued parameter that multiplexes operations. Deterministic, no model in the
/// loop: the same listing always gives the same class, and every reason names the word that decided it.
/// Evidence only ever raises a class. Annotations are untrusted (MCP 2025-06-18, tools, "Tool annotations":
/// clients must consider them untrusted unless they come from trusted servers), so <c>destructiveHint</c> may
/// raise a class and <c>readOnlyHint</c> never lowers one.
/// </summary>
internal static class ToolClassifier
{
    /// <summary>How deep into nested object parameters the schema is searched for a multiplexing enum.</summary>
    private const int MaxSchemaDepth = 4;

    // Openings of descriptions that come before the verb ("Use this tool to delete ...").
    private static readonly string[][] Preambles =
    [
        ["use", "this", "tool", "to"], ["use", "this", "to"], ["this", "tool", "will"], ["this", "tool"], ["the", "tool"],
        ["tool", "to"], ["tool", "that"], ["used", "to"], ["allows", "you", "to"], ["lets", "you"], ["can", "be", "used", "to"],
        ["helps", "you"], ["it"], ["will"], ["you", "can"],
    ];

    public static ToolClassification Classify(ToolDefinition tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var evidence = new List<Evidence>();
        var operation = tool.InputSchema is { ValueKind: JsonValueKind.Object } schema ? FindOperation(schema, schema, "args", 0) : null;

        if (NameEvidence(tool.Name) is { } name)
        {
            evidence.Add(name);
        }

        if (DescriptionEvidence(tool.Description, operation) is { } description)
        {
            evidence.Add(description);
        }

        if (operation is not null)
        {
            var highest = operation.Highest;
            var values = operation.Values.Where(v => v.Category == highest).Select(v => Quote(v.Value));
            evidence.Add(new Evidence(highest, $"schema: {Quote(operation.Path[5..])} can be {string.Join(", ", values)} ({ToolClassNames.Name(highest)})"));
        }

        if (tool.Hints?.Destructive == true)
        {
            evidence.Add(new Evidence(ToolCategory.Destructive, "annotation: destructiveHint is true (a hint may raise a class, never lower it)"));
        }

        if (evidence.Count == 0)
        {
            evidence.Add(new Evidence(ToolCategory.Write, "no known verb in the name, description or schema: treated as write until someone reviews it"));
        }

        var category = evidence.Max(e => e.Category);
        var reasons = ImmutableArray.CreateBuilder<string>();
        reasons.AddRange(evidence.Where(e => e.Category == category).Select(e => e.Reason));
        reasons.AddRange(evidence.Where(e => e.Category != category).OrderByDescending(e => e.Category).Select(e => e.Reason));
        if (tool.Hints?.ReadOnly == true && category > ToolCategory.Read)
        {
            reasons.Add($"annotation: readOnlyHint is true, not followed: a hint never lowers a class ({ToolClassNames.Name(category)} stands)");
        }

        // Without the operation parameter, what would the rest say? The starter policy may only split a tool
        // by operation when nothing else about it is as dangerous.
        var otherwise = evidence.Where(e => !e.Reason.StartsWith("schema:", StringComparison.Ordinal)).Select(e => e.Category).DefaultIfEmpty(ToolCategory.Read).Max();
        return new ToolClassification(tool.Name, category, reasons.ToImmutable(), operation) { CategoryWithoutOperation = otherwise };
    }

    /// <summary>
    /// Splits a name into lowercase words at anything but a letter or digit and at camelCase humps
    /// (<c>buildAndPush</c>, <c>HTTPRequest</c>).
    /// </summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            var hump = current.Length > 0 && char.IsAsciiLetterUpper(c)
                && (char.IsAsciiLetterLower(text[i - 1]) || (i + 1 < text.Length && char.IsAsciiLetterLower(text[i + 1]) && char.IsAsciiLetterUpper(text[i - 1])));
            if (hump)
            {
                Flush();
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>
    /// The name's verb: its first word when that is a verb, with the verbs joined to it
    /// (<c>build_and_push</c>, <c>create_or_update</c>); the words after are its object. When the first word is
    /// no verb the structure is unknown, so every word counts.
    /// </summary>
    private static Evidence? NameEvidence(string name)
    {
        var words = Words(name);
        if (words.Count == 0)
        {
            return null;
        }

        var verbs = new List<string>();
        IEnumerable<string> objects;
        if (ToolVocabulary.VerbCategory(words[0]) is not null)
        {
            verbs.Add(words[0]);
            var i = 1;
            while (i + 1 < words.Count && ToolVocabulary.IsJoinWord(words[i]) && ToolVocabulary.VerbCategory(words[i + 1]) is not null)
            {
                verbs.Add(words[i + 1]);
                i += 2;
            }

            objects = words.Skip(i);
        }
        else
        {
            verbs.AddRange(words.Where(w => ToolVocabulary.VerbCategory(w) is not null));
            objects = words;
        }

        return Judge("name", verbs, objects.ToList(), opens: false);
    }

    /// <summary>
    /// Each sentence's opening verb and the verbs joined to it by a comma, "and", "or" or "then" ("Creates,
    /// updates or deletes ..."), not every verb anywhere: "Lists builds" opens with a read, and "Does not delete
    /// anything" opens with no verb at all. The word right after the opening verb is its object even when it
    /// is spelt like a verb: "Lists refunds", "Gets deploys" are reads (scan.md, "a read stays a read"). Verbs
    /// that are values of the multiplexing parameter describe that parameter and are left to it.
    /// </summary>
    private static Evidence? DescriptionEvidence(string? description, OperationParameter? operation)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }

        var operationVerbs = operation?.Values.SelectMany(v => Words(v.Value)).ToHashSet(StringComparer.Ordinal) ?? [];
        Evidence? strongest = null;
        foreach (var sentence in description.Split(['.', ';', ':', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var (words, afterComma) = SentenceWords(sentence);
            var start = SkipPreamble(words);
            while (start < words.Count && words[start].EndsWith("ly", StringComparison.Ordinal) && ToolVocabulary.BaseVerb(words[start]) is null)
            {
                start++;
            }

            var verbs = new List<string>();
            var openings = new List<string>();
            var i = start;
            if (i < words.Count && ToolVocabulary.BaseVerb(words[i]) is { } opening)
            {
                verbs.Add(opening);
                openings.Add(words[i]);
                i++;
                while (true)
                {
                    var next = i;
                    while (next < words.Count && ToolVocabulary.IsJoinWord(words[next]))
                    {
                        next++;
                    }

                    // Without a comma or a join word between them, a second verb-like word is the first one's
                    // object: "Lists refunds" lists, it does not refund.
                    if (next >= words.Count || (next == i && !afterComma[next]) || ToolVocabulary.BaseVerb(words[next]) is not { } joined)
                    {
                        break;
                    }

                    verbs.Add(joined);
                    openings.Add(words[next]);
                    i = next + 1;
                }
            }

            var independent = verbs.Where(v => !operationVerbs.Contains(v)).ToList();
            if (independent.Count == 0)
            {
                continue;
            }

            var found = Judge("description", independent, words.Skip(i).ToList(), opens: true, openings);
            if (found is not null && (strongest is null || found.Value.Category > strongest.Value.Category))
            {
                strongest = found;
            }
        }

        return strongest;
    }

    /// <summary>
    /// A sentence's lowercase words, and for each whether a comma came right before it: a comma joins verbs
    /// ("Creates, updates"), so it has to survive the split that drops the other punctuation.
    /// </summary>
    private static (List<string> Words, List<bool> AfterComma) SentenceWords(string sentence)
    {
        var words = new List<string>();
        var afterComma = new List<bool>();
        var comma = false;
        foreach (var chunk in sentence.Split([' ', '\t', '\r', '(', ')', '"', '\'', '`', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = chunk.Split(',');
            for (var p = 0; p < parts.Length; p++)
            {
                comma |= p > 0;
                if (parts[p].Length > 0)
                {
                    words.Add(parts[p].ToLowerInvariant());
                    afterComma.Add(comma);
                    comma = false;
                }
            }
        }

        return (words, afterComma);
    }

    private static int SkipPreamble(List<string> words)
    {
        foreach (var preamble in Preambles)
        {
            if (words.Count > preamble.Length && words.Take(preamble.Length).SequenceEqual(preamble, StringComparer.Ordinal))
            {
                return preamble.Length;
            }
        }

        return 0;
    }

    /// <summary>
    /// The category the verbs give, raised to Financial when a verb that writes or runs acts on money
    /// (<c>create_refund</c>) and when the only evidence is a money noun.
    /// </summary>
    private static Evidence? Judge(string where, List<string> verbs, List<string> objects, bool opens, List<string>? asWritten = null)
    {
        var money = objects.FirstOrDefault(ToolVocabulary.IsMoneyNoun);
        if (verbs.Count == 0)
        {
            return money is null ? null : new Evidence(ToolCategory.Financial, $"{where}: names money ({Quote(money)}) and no verb that only reads");
        }

        var index = 0;
        for (var i = 1; i < verbs.Count; i++)
        {
            if (ToolVocabulary.VerbCategory(verbs[i]) > ToolVocabulary.VerbCategory(verbs[index]))
            {
                index = i;
            }
        }

        var verb = verbs[index];
        var shown = Quote(asWritten?[index] ?? verb);
        var category = ToolVocabulary.VerbCategory(verb)!.Value;
        if (money is not null && category is ToolCategory.Write or ToolCategory.Execute)
        {
            return new Evidence(ToolCategory.Financial, $"{where}: {shown} acts on {Quote(money)}: money moves");
        }

        var name = ToolClassNames.Name(category);
        var article = name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
        return new Evidence(category, opens ? $"{where}: opens with {shown}, {article} {name} verb" : $"{where}: {shown} is {article} {name} verb");
    }

    /// <summary>
    /// The most dangerous enum-valued string parameter whose name says it selects an operation
    /// (<c>operation</c>, <c>action</c>, <c>command</c>, ...), searched through nested object parameters.
    /// </summary>
    private static OperationParameter? FindOperation(JsonElement schema, JsonElement root, string path, int depth)
    {
        schema = SchemaEnumValues.Resolve(schema, root);
        if (depth > MaxSchemaDepth || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        OperationParameter? found = null;
        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object || !PolicyPathSegment(property.Name))
            {
                continue;
            }

            var candidate = Words(property.Name).Any(ToolVocabulary.IsOperationWord) && SchemaEnumValues.Of(property.Value, root) is { Count: > 0 } values
                ? new OperationParameter(
                    $"{path}.{property.Name}",
                    [.. values.Select(v => new OperationValue(v, ValueCategory(v)))])
                : FindOperation(property.Value, root, $"{path}.{property.Name}", depth + 1);
            if (candidate is not null && (found is null || candidate.Highest > found.Highest))
            {
                found = candidate;
            }
        }

        return found;
    }

    /// <summary>A segment a policy path can name: the path syntax splits on dots, so a key holding one cannot be addressed.</summary>
    private static bool PolicyPathSegment(string name) => name.Length > 0 && !name.Contains('.', StringComparison.Ordinal);

    /// <summary>An operation value read like a tool name; one the vocabulary does not know counts as a write, never as a read.</summary>
    private static ToolCategory ValueCategory(string value) =>
        NameEvidence(value)?.Category ?? ToolCategory.Write;

    private static string Quote(string word) => "\"" + word + "\"";

    private readonly record struct Evidence(ToolCategory Category, string Reason);
}

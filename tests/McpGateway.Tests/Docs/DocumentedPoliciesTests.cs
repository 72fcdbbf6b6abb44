using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpGateway.Tests.Policy;

namespace McpGateway.Tests.Docs;

/// <summary>
/// Every policy the README and docs/ show in a <c>json</c> block, alone or inside a configuration's <c>policies</c>, is
/// one the gateway accepts: a newcomer copies these first. A block written to show a refusal says so in the line
/// before it, an HTML comment <c>&lt;!-- invalid on purpose --&gt;</c>.
/// </summary>
public sealed partial class DocumentedPoliciesTests
{
    public static TheoryData<string, int> Blocks()
    {
        var blocks = new TheoryData<string, int>();
        foreach (var document in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Prepend(Path.Combine(RepositoryRoot.Path, "README.md")))
        {
            var text = File.ReadAllText(document);
            foreach (Match block in JsonBlock().Matches(text))
            {
                if (!block.Groups["before"].Value.Contains("invalid on purpose", StringComparison.Ordinal))
                {
                    blocks.Add(Path.GetRelativePath(RepositoryRoot.Path, document), text[..block.Index].Count(c => c == '\n') + 1);
                }
            }
        }

        return blocks;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void JsonBlock_EveryPolicyItShows_Validates(string document, int line)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, document));
        var block = JsonBlock().Matches(text).Single(m => text[..m.Index].Count(c => c == '\n') + 1 == line).Groups["json"].Value;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(block);
        }
        catch (JsonException)
        {
            return; // a fragment or a sketch with placeholders: nothing a reader could load as it stands
        }

        foreach (var policy in Policies(root))
        {
            Assert.True(PolicyTestKit.Problems(policy.ToJsonString()).Count == 0, $"{document}:{line}: {string.Join("; ", PolicyTestKit.Problems(policy.ToJsonString()))}");
        }
    }

    private static IEnumerable<JsonNode> Policies(JsonNode? root)
    {
        if (root is not JsonObject obj)
        {
            yield break;
        }

        if (obj.ContainsKey("version") && obj.ContainsKey("default"))
        {
            yield return obj;
        }

        if (obj["policies"] is JsonObject policies)
        {
            foreach (var (_, policy) in policies)
            {
                if (policy is not null)
                {
                    yield return policy;
                }
            }
        }
    }

    [GeneratedRegex(@"(?<before>[^\n]*)\n[ \t]*```json\n(?<json>.*?)\n[ \t]*```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}

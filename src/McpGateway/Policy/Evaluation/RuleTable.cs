using System.Collections.Frozen;

namespace McpGateway.Policy.Evaluation;

/// <summary>
/// The rules of one section (tools, resources, prompts) by key: an exact key wins, then the longest prefix ending in
/// <c>*</c> (ordinal order breaks no ties, because keys are unique).
/// </summary>
internal sealed class RuleTable
{
    private readonly FrozenDictionary<string, CompiledRule> _exact;
    private readonly CompiledRule[] _prefixes;

    public RuleTable(IEnumerable<CompiledRule> rules)
    {
        var exact = new Dictionary<string, CompiledRule>(StringComparer.Ordinal);
        var prefixes = new List<CompiledRule>();
        foreach (var rule in rules)
        {
            if (rule.Source.IsPrefix)
            {
                prefixes.Add(rule);
            }
            else
            {
                exact[rule.Source.Key] = rule;
            }
        }

        _exact = exact.ToFrozenDictionary(StringComparer.Ordinal);
        _prefixes = [.. prefixes.OrderByDescending(r => r.Source.Key.Length).ThenBy(r => r.Source.Key, StringComparer.Ordinal)];
    }

    /// <summary>Whether a rule names <paramref name="name"/> exactly.</summary>
    public bool NamesExactly(string name) => _exact.ContainsKey(name);

    public CompiledRule? Find(string name)
    {
        if (_exact.TryGetValue(name, out var rule))
        {
            return rule;
        }

        foreach (var prefix in _prefixes)
        {
            if (name.AsSpan().StartsWith(prefix.Source.Key.AsSpan(0, prefix.Source.Key.Length - 1), StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return null;
    }
}

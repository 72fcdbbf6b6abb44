using System.Collections.Immutable;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>The effective mode of every element of a document that can decide a call, keyed by its policy path.</summary>
internal static class PolicyModes
{
    /// <summary>
    /// <c>default</c> and each <c>hide[i]</c> follow the document's mode; each rule and limit has its own
    /// (inherited when unwritten). Paths are those the decision log names.
    /// </summary>
    public static ImmutableSortedDictionary<string, PolicyMode> Of(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var modes = ImmutableSortedDictionary.CreateBuilder<string, PolicyMode>(StringComparer.Ordinal);
        modes["default"] = document.Mode;
        for (var i = 0; i < document.Hide.Length; i++)
        {
            modes[PolicyPath.Index("hide", i)] = document.Mode;
        }

        for (var i = 0; i < document.AllToolsLimits.Length; i++)
        {
            modes[PolicyPath.Index("all_tools.limits", i)] = document.AllToolsLimits[i].Mode;
        }

        foreach (var rule in document.Tools)
        {
            var path = PolicyPath.Member("tools", rule.Key);
            modes[path] = rule.Mode;
            for (var i = 0; i < rule.Limits.Length; i++)
            {
                modes[PolicyPath.Index(path + ".limits", i)] = rule.Limits[i].Mode;
            }
        }

        return modes.ToImmutable();
    }
}

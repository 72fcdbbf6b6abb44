using System.Text.RegularExpressions;

namespace McpGateway.Policy;

/// <summary>
/// Regular expressions in conditions run on attacker-chosen arguments, so they use the non-backtracking
/// engine: matching is linear in the input and no pattern can be turned into a ReDoS. Patterns that need
/// backtracking constructs (backreferences, lookarounds) are rejected when the policy is validated.
/// Matching is unanchored, like Go's <c>regexp.MatchString</c> that Intercept policies are written for.
/// </summary>
internal static class PolicyRegex
{
    public static bool TryCreate(string pattern, out Regex? regex, out string? error)
    {
        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            regex = null;
            error = ex.Message;
            return false;
        }
    }
}

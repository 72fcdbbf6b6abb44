using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace McpGateway.Policy;

/// <summary>
/// Regular expressions in conditions run on attacker-chosen arguments, so they use the non-backtracking
/// engine: matching is linear in the input and no pattern can be turned into a ReDoS. Patterns that need
/// backtracking constructs (backreferences, lookarounds) are rejected when the policy is validated.
/// Matching is unanchored, like Go's <c>regexp.MatchString</c> that Intercept policies are written for.
/// </summary>
/// <remarks>
/// Building a non-backtracking regex costs milliseconds, and each pattern was built twice per load (once to
/// validate, once to compile) and again for every rule repeating it: the largest part of the gateway's
/// cold start (issue 8). Built regexes are immutable and safe to share between threads, so one is kept per
/// distinct pattern, up to a bound that a long-lived process changing policies cannot outgrow.
/// </remarks>
internal static class PolicyRegex
{
    private const int MaxKept = 1024;

    private static readonly ConcurrentDictionary<string, Regex> Built = new(StringComparer.Ordinal);

    public static bool TryCreate(string pattern, out Regex? regex, out string? error)
    {
        error = null;
        if (Built.TryGetValue(pattern, out regex))
        {
            return true;
        }

        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            if (Built.Count < MaxKept)
            {
                Built.TryAdd(pattern, regex);
            }

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

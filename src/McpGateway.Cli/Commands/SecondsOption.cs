using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace McpGateway.Cli.Commands;

/// <summary>
/// <c>--timeout-seconds N</c>, the command line's only numeric option, parsed in one place so every command says
/// the same thing about a bad number and exits with a usage error (64). Left to System.CommandLine, a token that
/// is no number ("abc") made a validator's <c>GetValue</c> throw (exit 134 with a stack trace), its own parse error
/// named <c>System.Nullable`1[System.Double]</c>, and <c>NaN</c> or <c>Infinity</c> parsed, then could not be
/// written as JSON.
/// </summary>
internal static class SecondsOption
{
    /// <summary>The longest that reading an upstream's tools may take (<c>scan</c>, <c>tools pin|diff</c>): an hour.</summary>
    public const double LongestRead = 3600;

    private const string Name = "--timeout-seconds";

    /// <summary>
    /// A finite number of seconds; with <paramref name="atMost"/>, more than 0 and at most that. Without it the
    /// range is left to whoever owns it (a server entry's <c>timeout_seconds</c> is checked by the gateway's own
    /// reader of entries, so <c>servers add</c> reports it as an invalid entry).
    /// </summary>
    public static Option<double> Create(string description, double? defaultSeconds = null, double? atMost = null)
    {
        var option = new Option<double>(Name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result => Parse(result, defaultSeconds, atMost),
        };
        if (defaultSeconds is { } seconds)
        {
            option.DefaultValueFactory = _ => seconds;
        }

        return option;
    }

    private static double Parse(ArgumentResult result, double? defaultSeconds, double? atMost)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultSeconds ?? 0;
        }

        var token = result.Tokens[^1].Value;
        var range = atMost is { } most ? $"more than 0 and at most {most.ToString(CultureInfo.InvariantCulture)}" : null;
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
        {
            result.AddError($"{Name} must be a number of seconds{(range is null ? "" : ", " + range)}, not \"{token}\"");
            return 0;
        }

        if (atMost is { } limit && !(seconds > 0 && seconds <= limit))
        {
            result.AddError($"{Name} must be {range}");
            return 0;
        }

        return seconds;
    }
}

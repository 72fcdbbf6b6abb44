using System.Buffers;
using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using McpGateway.Configuration;

namespace McpGateway.Cli.ParameterStore;

/// <summary>
/// The Parameter Store path the gateway reads (<c>Gateway:Ssm:Prefix</c>), and the names of the entries
/// under it: <c>&lt;prefix&gt;/servers/&lt;name&gt;</c>, <c>/policies/&lt;name&gt;</c>, <c>/grants/&lt;label&gt;</c>.
/// </summary>
internal static class ParameterPrefix
{
    public const string Default = "/mcp-gateway";

    public const string Description = "Parameter Store path the gateway reads its configuration from (Gateway:Ssm:Prefix).";

    /// <summary>
    /// SSM allows 15 levels in a name (AWS Systems Manager quotas, "Parameter hierarchy"); the entry kind
    /// and the entry name take two.
    /// </summary>
    public const int MaxLevels = 13;

    /// <summary>
    /// SSM allows 1011 characters in a name, counting the ARN text before it; 500 leaves room for any
    /// region and account plus the longest entry name (128 characters).
    /// </summary>
    public const int MaxLength = 500;

    // SSM parameter names: letters, digits and . - _ in each level (PutParameter, "Name").
    private static readonly SearchValues<char> LevelChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>
    /// <c>--prefix [PATH]</c>: <see cref="Default"/> when given without a value (and, with
    /// <paramref name="defaultWhenAbsent"/>, when absent), normalised (no trailing slash) and checked against
    /// SSM's naming rules while parsing, so a bad one is a usage error.
    /// </summary>
    public static Option<string> CreateOption(string description, bool defaultWhenAbsent = true)
    {
        var option = new Option<string>("--prefix")
        {
            Description = description,
            HelpName = "PATH",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = Parse,
        };
        if (defaultWhenAbsent)
        {
            option.DefaultValueFactory = _ => Default;
        }

        return option;
    }

    private static string? Parse(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return Default;
        }

        if (TryNormalise(result.Tokens[0].Value, out var prefix, out var problem))
        {
            return prefix;
        }

        result.AddError(problem);
        return null;
    }

    /// <summary>Trims trailing slashes and checks the rest; <paramref name="problem"/> says what to change.</summary>
    public static bool TryNormalise(string raw, [NotNullWhen(true)] out string? prefix, [NotNullWhen(false)] out string? problem)
    {
        prefix = null;
        problem = null;
        var trimmed = raw.TrimEnd('/');
        var levels = trimmed.Length > 1 ? trimmed[1..].Split('/') : [];
        if (!raw.StartsWith('/'))
        {
            problem = $"--prefix \"{raw}\" must start with \"/\", e.g. {Default}";
        }
        else if (levels.Length == 0)
        {
            problem = $"--prefix needs at least one level below \"/\", e.g. {Default}";
        }
        else if (levels.Any(level => level.Length == 0))
        {
            problem = $"--prefix \"{raw}\" has an empty level (\"//\")";
        }
        else if (levels.Any(level => level.AsSpan().IndexOfAnyExcept(LevelChars) >= 0))
        {
            problem = $"--prefix \"{raw}\" may only hold A-Z a-z 0-9 _ . - in each level, with \"/\" between levels";
        }
        else if (levels[0].StartsWith("aws", StringComparison.OrdinalIgnoreCase) || levels[0].StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"--prefix \"{raw}\" cannot begin with \"aws\" or \"ssm\": Parameter Store reserves those names";
        }
        else if (levels.Length > MaxLevels)
        {
            problem = $"--prefix \"{raw}\" has {levels.Length} levels; at most {MaxLevels} leave room for <kind>/<name> within Parameter Store's 15";
        }
        else if (trimmed.Length > MaxLength)
        {
            problem = $"--prefix is {trimmed.Length} characters long; at most {MaxLength}";
        }
        else
        {
            prefix = trimmed;
            return true;
        }

        return false;
    }

    /// <summary>The parameter holding one entry, as the gateway's Parameter Store source looks it up.</summary>
    public static string EntryName(string prefix, ConfigEntryKind kind, string name) => ConfigEntryKinds.ParameterName(prefix, kind, name);
}

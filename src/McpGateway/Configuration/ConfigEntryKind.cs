namespace McpGateway.Configuration;

/// <summary>The kinds of configuration entry, each stored under its own name (issue 3, issue 5).</summary>
internal enum ConfigEntryKind
{
    Server,
    Policy,
    Grant,
    Admin,
}

/// <summary>
/// The one table of entry kinds and the section that holds each: the file's top-level member and the
/// Parameter Store folder under the prefix are the same word (<c>servers</c>, <c>policies</c>, ...).
/// </summary>
internal static class ConfigEntryKinds
{
    public static WireNames<ConfigEntryKind> Sections { get; } = new(
        ("servers", ConfigEntryKind.Server),
        ("policies", ConfigEntryKind.Policy),
        ("grants", ConfigEntryKind.Grant),
        ("admins", ConfigEntryKind.Admin));

    /// <summary>Every kind, in the order the file lists its sections.</summary>
    public static IReadOnlyList<ConfigEntryKind> All { get; } = [ConfigEntryKind.Server, ConfigEntryKind.Policy, ConfigEntryKind.Grant, ConfigEntryKind.Admin];

    /// <summary>The parameter holding one entry: <c>&lt;prefix&gt;/&lt;section&gt;/&lt;name&gt;</c>.</summary>
    public static string ParameterName(string prefix, ConfigEntryKind kind, string name) => $"{prefix}/{Sections.NameOf(kind)}/{name}";
}

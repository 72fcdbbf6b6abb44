using System.ComponentModel.DataAnnotations;

namespace McpGateway.Configuration;

/// <summary>Settings under <c>Gateway:Ssm:</c>. Setting <see cref="Prefix"/> selects Parameter Store as the source.</summary>
public sealed class SsmSourceOptions
{
    public const string SectionName = "Gateway:Ssm";

    /// <summary>Where entries live: <c>&lt;prefix&gt;/servers/&lt;name&gt;</c>, <c>/policies/&lt;name&gt;</c>, <c>/grants/&lt;label&gt;</c>.</summary>
    public string? Prefix { get; set; }

    /// <summary>How often the gateway re-reads the prefix; a change applies within this many seconds.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>How long start-up waits for the first load before serving (denying) without it.</summary>
    [Range(0, 60)]
    public int StartupTimeoutSeconds { get; set; } = 5;
}

using System.ComponentModel.DataAnnotations;

namespace McpGateway.Admin;

/// <summary>Settings under <c>Gateway:AdminPage:</c> for the approver page (issue 22).</summary>
public sealed class AdminPageOptions
{
    public const string SectionName = "Gateway:AdminPage";

    /// <summary>
    /// How long a sign-in lasts. The cookie is sealed, not stored, so signing out cannot recall a copy
    /// of it: the lifetime is the bound on a stolen cookie, and it is kept short.
    /// </summary>
    [Range(1, 720)]
    public int SessionMinutes { get; set; } = 30;
}

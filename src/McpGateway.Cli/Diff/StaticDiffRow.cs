namespace McpGateway.Cli.Diff;

/// <summary>How one tool (or prefix pattern, or the default) is treated under each document.</summary>
/// <param name="Tool">A tool name, a pattern ending in <c>*</c>, or null for the default row.</param>
/// <param name="Old">The old document's enforced treatment.</param>
/// <param name="New">The new document's enforced treatment.</param>
/// <param name="OldShadow">The old document's treatment with its shadowed elements enforced, when that differs.</param>
/// <param name="NewShadow">The new document's treatment with its shadowed elements enforced, when that differs.</param>
internal sealed record StaticDiffRow(string? Tool, ToolTreatment Old, ToolTreatment New, ToolTreatment? OldShadow, ToolTreatment? NewShadow)
{
    /// <summary><c>changed</c> (what is enforced differs), <c>shadow</c> (only what shadowed elements report differs) or <c>none</c>.</summary>
    public string Change =>
        Old.Behaviour != New.Behaviour ? "changed"
        : (OldShadow ?? Old).Behaviour != (NewShadow ?? New).Behaviour ? "shadow"
        : "none";
}

namespace McpGateway.Policy;

/// <summary>
/// What enforcement sees of a document with shadowed elements: the document as if they were absent
/// (issue 17). A shadowed rule is removed, so its tools fall to the next rule or the default; shadowed
/// limits stay, for their paths' sake, and the enforced compilation leaves them out; a shadowed document keeps only the rules that say <c>enforce</c>, with
/// nothing hidden and everything else allowed.
/// </summary>
internal static class ShadowView
{
    public static PolicyDocument Enforced(PolicyDocument document)
    {
        var shadowDocument = document.Mode == PolicyMode.Shadow;
        return document with
        {
            Default = shadowDocument ? DefaultAction.Allow : document.Default,
            Hide = shadowDocument ? [] : document.Hide,
            Tools = [.. document.Tools.Where(t => t.Mode == PolicyMode.Enforce)],
            Mode = PolicyMode.Enforce,

            // Resource and prompt rules take the document's mode: a shadowed document enforces none of them.
            Resources = shadowDocument ? null : document.Resources,
            Prompts = shadowDocument ? null : document.Prompts,

            // A shadowed document checks no schema on the enforced path: nothing in it may refuse a call.
            ValidateAllArguments = !shadowDocument && document.ValidateAllArguments,
        };
    }
}

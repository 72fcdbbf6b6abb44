using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary>Reads a policy document from disk.</summary>
internal static class PolicyFile
{
    /// <summary>Parses the file; on an I/O failure returns null with <paramref name="error"/> set.</summary>
    public static PolicyParseResult? Load(string path, out string? error) => Load(path, out _, out error);

    /// <summary>Also returns the bytes read, so a command can store exactly what was validated.</summary>
    public static PolicyParseResult? Load(string path, out byte[]? bytes, out string? error)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            error = null;
            return PolicyParser.Parse(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bytes = null;
            error = $"cannot read the file: {ex.Message}";
            return null;
        }
    }

    /// <summary>The line <c>policy validate</c> prints for a valid document.</summary>
    public static string Summary(PolicyDocument document) =>
        $"valid (default {(document.Default == DefaultAction.Deny ? "deny" : "allow")}, {document.Tools.Length} tool rule(s), {document.Hide.Length} hidden)";
}

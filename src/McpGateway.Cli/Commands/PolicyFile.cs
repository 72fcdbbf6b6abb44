using McpGateway.Policy;

namespace McpGateway.Cli.Commands;

/// <summary>Reads a policy document from disk.</summary>
internal static class PolicyFile
{
    /// <summary>Parses the file; on an I/O failure returns null with <paramref name="error"/> set.</summary>
    public static PolicyParseResult? Load(string path, out string? error)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            error = null;
            return PolicyParser.Parse(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the file: {ex.Message}";
            return null;
        }
    }
}

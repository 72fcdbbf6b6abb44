namespace McpGateway.Configuration;

/// <summary>The three kinds of configuration entry, each stored under its own name (issue 3, issue 5).</summary>
internal enum ConfigEntryKind
{
    Server,
    Policy,
    Grant,
    Admin,
}

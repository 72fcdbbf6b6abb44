namespace McpGateway.Cli.Diff;

/// <summary>A logged call with what the old and the new document decide for it.</summary>
internal sealed record ReplayedCall(LoggedCall Call, ReplayVerdict Old, ReplayVerdict New);

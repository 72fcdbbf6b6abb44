using System.Collections.Immutable;

namespace McpGateway.Tools;

/// <summary>
/// A string parameter whose enum selects what a multiplexed tool does (<c>manage_k8s_resource</c>'s
/// <c>operation</c>: get, list, create, delete). <see cref="Path"/> is a policy argument path
/// (<c>args.operation</c>), so a policy can let the reads through and stop the deletes.
/// </summary>
internal sealed record OperationParameter(string Path, ImmutableArray<OperationValue> Values)
{
    /// <summary>The most dangerous thing the parameter can ask for.</summary>
    public ToolCategory Highest => Values.Max(v => v.Category);
}

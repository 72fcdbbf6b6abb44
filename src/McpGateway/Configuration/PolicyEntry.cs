using System.Collections.Immutable;
using McpGateway.Policy;

namespace McpGateway.Configuration;

/// <summary>
/// A named policy as loaded: compiled when valid, or the validator's problems when not. A grant whose
/// policy is invalid denies every call with <see cref="FailureReason"/> (fail closed, issue 3).
/// </summary>
internal sealed record PolicyEntry(string Name, CompiledPolicy? Compiled, ImmutableArray<PolicyProblem> Problems, string? Version = null)
{
    public string FailureReason => Compiled is not null
        ? ""
        : $"policy \"{Name}\" is invalid, so every call is denied: {string.Join("; ", Problems.Take(3))}" +
          (Problems.Length > 3 ? $" (and {Problems.Length - 3} more)" : "");
}

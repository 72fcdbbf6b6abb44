using System.Collections.Immutable;
using McpGateway.Configuration;
using McpGateway.Policy;

namespace McpGateway.Logging;

/// <summary>
/// Writes one <c>policy_mode</c> line whenever a loaded policy's effective mode changes for any rule or
/// limit present before and after (issue 17). The first version seen of a policy is the baseline; a policy
/// that fails to compile keeps the last baseline, as the last good version stays in force.
/// </summary>
internal sealed class PolicyModeAudit(IDecisionLog log, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string? Version, ImmutableSortedDictionary<string, PolicyMode> Modes)> _known = new(StringComparer.Ordinal);

    public void Observe(GatewaySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            foreach (var (name, entry) in snapshot.Policies)
            {
                if (entry.Compiled is not { } compiled)
                {
                    continue;
                }

                var modes = PolicyModes.Of(compiled.Source);
                if (_known.TryGetValue(name, out var previous) && previous.Version != entry.Version)
                {
                    var changed = modes
                        .Where(m => previous.Modes.TryGetValue(m.Key, out var was) && was != m.Value)
                        .Select(m => new PolicyModeChange(m.Key, PolicyVocabulary.Modes.NameOf(previous.Modes[m.Key]), PolicyVocabulary.Modes.NameOf(m.Value)))
                        .ToArray();
                    if (changed.Length > 0)
                    {
                        log.Write(new PolicyModeLogEntry
                        {
                            Time = time.GetUtcNow(),
                            Policy = name,
                            PolicyVersion = entry.Version,
                            PreviousVersion = previous.Version,
                            Rules = changed,
                        });
                    }
                }

                _known[name] = (entry.Version, modes);
            }
        }
    }
}

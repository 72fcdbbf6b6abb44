using System.Collections.Immutable;
using System.Text.Json;
using McpGateway.Cli.DecisionLog;

namespace McpGateway.Cli.Diff;

/// <summary>
/// Reads the gateway's decision lines for the replay of <c>mcpgw policy diff</c>. Lines that are not decision lines
/// (audit lines, a platform's own lines) are passed over; a line that starts like JSON but does not parse, or a
/// decision line without the fields a replay needs (or with an outcome this version does not know), is counted as unreadable so the report can say so.
/// </summary>
internal sealed class DecisionLogReader : DecisionLineReader
{
    private readonly List<LoggedCall> _calls = [];

    public IReadOnlyList<LoggedCall> Calls => _calls;

    protected override bool Take(JsonElement root)
    {
        if (!root.TryGetProperty("time", out var time) || !time.TryGetDateTimeOffset(out var at) ||
            Text(root, "grant") is not { } grant || Text(root, "server") is not { } server || Text(root, "tool") is not { } tool ||
            Text(root, "decision") is not { } decision || Text(root, "rule") is not { } rule || Text(root, "outcome") is not { } name || CallOutcomes.Parse(name) is not { } outcome ||
            Keys(root) is not { } keys)
        {
            return false;
        }

        _calls.Add(new LoggedCall(at, grant, server, tool, keys, decision, rule, outcome, Text(root, "approval_id"), _calls.Count));
        return true;
    }

    private static ImmutableArray<string>? Keys(JsonElement root)
    {
        if (!root.TryGetProperty("argument_keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            names.Add(key.GetString()!);
        }

        return names.ToImmutable();
    }

    private static string? Text(JsonElement root, string name) => DecisionLine.Text(root, name);
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using McpGateway.Policy.Parsing;

namespace McpGateway.Policy;

/// <summary>The <c>limits</c> of a rule or of <c>all_tools</c>: counters, windows, scopes and store-error modes.</summary>
internal sealed partial class PolicyParser
{
    private ImmutableArray<PolicyLimit> ReadLimits(LocatedJson? node, string path, PolicyMode parentMode)
    {
        if (node is null || !ExpectKind(node, path, LocatedJsonKind.Array, "an array of limits"))
        {
            return [];
        }

        var limits = ImmutableArray.CreateBuilder<PolicyLimit>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (ReadLimit(node.Items[i], PolicyPath.Index(path, i), parentMode) is { } limit)
            {
                limits.Add(limit);
            }
        }

        return limits.ToImmutable();
    }

    private PolicyLimit? ReadLimit(LocatedJson node, string path, PolicyMode parentMode)
    {
        if (!ExpectObject(node, path, LimitFields))
        {
            return null;
        }

        var ok = true;
        string? counter = null;
        if (node["counter"] is not { } counterNode)
        {
            Problem(path + ".counter", "required field is missing", node);
            ok = false;
        }
        else if (ExpectKind(counterNode, path + ".counter", LocatedJsonKind.String, "a counter name"))
        {
            counter = counterNode.Text!;
            if (!ToolName.IsValid(counter))
            {
                Problem(path + ".counter", $"invalid counter name {Describe(counterNode)}: {ToolName.Rule}", counterNode);
                ok = false;
            }
        }
        else
        {
            ok = false;
        }

        long window = 0;
        if (node["window"] is not { } windowNode)
        {
            Problem(path + ".window", "required field is missing (use \"minute\", \"hour\", \"day\" or a number of seconds)", node);
            ok = false;
        }
        else if (!TryReadWindow(windowNode, out window))
        {
            Problem(path + ".window", $"unknown window {Describe(windowNode)}: use \"minute\", \"hour\", \"day\" or a whole number of seconds from 1 to 31536000", windowNode);
            ok = false;
        }

        long max = 0;
        if (node["max"] is not { } maxNode)
        {
            Problem(path + ".max", "required field is missing", node);
            ok = false;
        }
        else if (maxNode.Kind != LocatedJsonKind.Number || !long.TryParse(maxNode.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out max) || max < 1)
        {
            Problem(path + ".max", $"must be a whole number of at least 1, not {Describe(maxNode)}", maxNode);
            ok = false;
        }

        var scope = LimitScope.Grant;
        if (node["scope"] is { } scopeNode)
        {
            var parsed = ReadEnum(scopeNode, path + ".scope", PolicyVocabulary.Scopes);
            ok &= parsed is not null;
            scope = parsed ?? LimitScope.Grant;
        }

        string? incrementFrom = null;
        if (node["increment_from"] is { } incrementNode)
        {
            incrementFrom = ReadArgumentPath(incrementNode, path + ".increment_from", node);
            ok &= incrementFrom is not null;
        }

        var onStoreError = StoreErrorMode.Deny;
        if (node["on_store_error"] is { } storeErrorNode)
        {
            var parsed = ReadEnum(storeErrorNode, path + ".on_store_error", PolicyVocabulary.StoreErrorModes);
            ok &= parsed is not null;
            onStoreError = parsed ?? StoreErrorMode.Deny;
        }

        var mode = ReadMode(node, path + ".mode", parentMode);
        if (parentMode == PolicyMode.Shadow && mode == PolicyMode.Enforce && node["mode"] is { } modeNode &&
            !path.StartsWith("all_tools.", StringComparison.Ordinal))
        {
            // A shadowed rule is absent from enforcement, and so are its limits: an enforced limit there would count nothing.
            // all_tools is no rule: its limits attach to every enforced decision, so one of them may be enforced alone.
            Problem(path + ".mode", "a limit of a shadowed rule is shadowed too; remove \"mode\" or enforce the rule", modeNode);
            ok = false;
        }

        if (!ok || counter is null)
        {
            return null;
        }

        var limit = new PolicyLimit(counter, window, max, scope, incrementFrom, onStoreError, mode);

        // Limits naming one counter in one scope share one budget, so they must agree on what that budget is.
        if (_counters.TryGetValue((counter, scope), out var first))
        {
            if (first.Limit.WindowSeconds != window || first.Limit.Max != max || first.Limit.IncrementFrom != incrementFrom || first.Limit.Mode != mode)
            {
                Problem(path, $"counter \"{counter}\" ({PolicyVocabulary.Scopes.NameOf(scope)} scope) is already declared at {first.Path} with another window, max, increment_from or mode; limits sharing a counter share one budget, so declare them alike or use another counter name", node);
                return null;
            }
        }
        else
        {
            _counters[(counter, scope)] = (limit, path);
        }

        return limit;
    }

    private static bool TryReadWindow(LocatedJson node, out long seconds)
    {
        seconds = node.Kind switch
        {
            LocatedJsonKind.String when node.Text == "minute" => 60,
            LocatedJsonKind.String when node.Text == "hour" => 3_600,
            LocatedJsonKind.String when node.Text == "day" => 86_400,
            LocatedJsonKind.Number when long.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 0,
        };

        // A year is the longest window that still means "a rate"; beyond it a counter is a quota.
        return seconds is >= 1 and <= 31_536_000;
    }
}

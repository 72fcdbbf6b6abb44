using System.Collections.Immutable;
using System.Globalization;

namespace McpGateway.Tests.Policy;

// The generated structure: documents, calls and JSON values, each printed as the parser reads it.
public sealed partial class PolicyPropertyTests
{
    private sealed record GeneratedCase(GeneratedPolicy Policy, GeneratedCall[] Calls)
    {
        public override string ToString() =>
            Policy.ToJson() + Environment.NewLine + string.Join(Environment.NewLine, Calls.Select(c => "  " + c));
    }

    private sealed record GeneratedPolicy(string Default, string[]? Hide, GeneratedLimit[]? AllToolsLimits, GeneratedRule[]? Tools)
    {
        public string ToJson()
        {
            var json = new StringBuilder("{\"version\":\"1\",\"default\":").Append(Quote(Default));
            if (Hide is not null)
            {
                json.Append(",\"hide\":[").AppendJoin(',', Hide.Select(Quote)).Append(']');
            }

            if (AllToolsLimits is not null)
            {
                json.Append(",\"all_tools\":{\"limits\":[").AppendJoin(',', AllToolsLimits.Select(l => l.ToJson())).Append("]}");
            }

            if (Tools is not null)
            {
                json.Append(",\"tools\":{").AppendJoin(',', Tools.Select(r => Quote(r.Key) + ":" + r.ToJson())).Append('}');
            }

            return json.Append('}').ToString();
        }
    }

    private sealed record GeneratedRule(
        string Key, string? Action, string? Reason, GeneratedCondition[]? Require, GeneratedCondition[]? DenyIf, GeneratedLimit[]? Limits, string? ApprovalTimeout)
    {
        public string ToJson()
        {
            var members = new List<string>();
            if (Action is not null)
            {
                members.Add("\"action\":" + Quote(Action));
            }

            if (Reason is not null)
            {
                members.Add("\"reason\":" + Quote(Reason));
            }

            if (Require is not null)
            {
                members.Add("\"require\":[" + string.Join(',', Require.Select(c => c.ToJson())) + "]");
            }

            if (DenyIf is not null)
            {
                members.Add("\"deny_if\":[" + string.Join(',', DenyIf.Select(c => c.ToJson())) + "]");
            }

            if (Limits is not null)
            {
                members.Add("\"limits\":[" + string.Join(',', Limits.Select(l => l.ToJson())) + "]");
            }

            if (ApprovalTimeout is not null)
            {
                members.Add("\"approval\":{\"timeout\":" + Quote(ApprovalTimeout) + "}");
            }

            return "{" + string.Join(',', members) + "}";
        }
    }

    private sealed record GeneratedCondition(string Path, string Op, JsonValue? Value)
    {
        public string ToJson() =>
            $"{{\"path\":{Quote(Path)},\"op\":{Quote(Op)}" + (Value is null ? "" : ",\"value\":" + Value.ToJson()) + "}";
    }

    private sealed record GeneratedLimit(
        string Counter, string? Scope, string Window, long WindowSeconds, long Max, string? IncrementFrom, string? OnStoreError)
    {
        public string ToJson() =>
            $"{{\"counter\":{Quote(Counter)},\"window\":{Window},\"max\":{Max}"
            + (Scope is null ? "" : ",\"scope\":" + Quote(Scope))
            + (IncrementFrom is null ? "" : ",\"increment_from\":" + Quote(IncrementFrom))
            + (OnStoreError is null ? "" : ",\"on_store_error\":" + Quote(OnStoreError))
            + "}";
    }

    private sealed record GeneratedCall(string Tool, JsonObject? Arguments, string Grant, string Server, string? Session, DateTimeOffset At)
    {
        public override string ToString() =>
            $"{Quote(Tool)} {Arguments?.ToJson() ?? "(no arguments)"} grant={Grant} session={Session ?? "(none)"} at={At:O} ({At.ToUnixTimeMilliseconds()} ms)";
    }

    /// <summary>A JSON value as generated: numbers keep the text they are written with.</summary>
    private abstract record JsonValue
    {
        public abstract string ToJson();
    }

    private sealed record JsonString(string Value) : JsonValue
    {
        public override string ToJson() => Quote(Value);
    }

    private sealed record JsonNumber(string Text) : JsonValue
    {
        public double Value { get; } = double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

        public override string ToJson() => Text;
    }

    private sealed record JsonBoolean(bool Value) : JsonValue
    {
        public override string ToJson() => Value ? "true" : "false";
    }

    private sealed record JsonNull : JsonValue
    {
        public override string ToJson() => "null";
    }

    private sealed record JsonArray(ImmutableArray<JsonValue> Items) : JsonValue
    {
        public override string ToJson() => "[" + string.Join(',', Items.Select(i => i.ToJson())) + "]";
    }

    private sealed record JsonMember(string Name, JsonValue Value);

    private sealed record JsonObject(ImmutableArray<JsonMember> Members) : JsonValue
    {
        public override string ToJson() => "{" + string.Join(',', Members.Select(m => Quote(m.Name) + ":" + m.Value.ToJson())) + "}";
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}

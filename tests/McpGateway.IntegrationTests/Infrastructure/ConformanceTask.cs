using System.Globalization;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// One task of <see cref="ConformanceTasks"/>, as the 2026-07-28 tasks extension (SEP-2663) describes it: a status
/// that moves from <c>working</c> (or <c>input_required</c>) to <c>completed</c>, <c>failed</c> or <c>cancelled</c>,
/// the input requests still unanswered, and the result or error it ended with. Every change happens under the
/// task's lock, so a <c>tasks/get</c> sees one whole state, never half of a transition.
/// </summary>
internal sealed class ConformanceTask
{
    public const long TtlMs = 300_000;
    private const long PollIntervalMs = 200;

    private readonly Lock _lock = new();
    private readonly DateTimeOffset _createdAt = DateTimeOffset.UtcNow;
    private readonly Dictionary<string, JsonNode> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode> _answers = new(StringComparer.Ordinal);
    private DateTimeOffset _lastUpdatedAt;
    private string _status = "working";
    private JsonObject? _result;
    private JsonObject? _error;
    private Func<IReadOnlyDictionary<string, JsonNode>, string>? _resultOnceAnswered;

    public ConformanceTask(string id)
    {
        Id = id;
        _lastUpdatedAt = _createdAt;
    }

    public string Id { get; }

    /// <summary>Signalled on <c>tasks/cancel</c>: background work stops, and the task stays cancelled.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>
    /// Asks for input: the task waits in <c>input_required</c> until every key is answered, then completes with the
    /// text <paramref name="resultOnceAnswered"/> makes of the answers.
    /// </summary>
    public void Ask(Func<IReadOnlyDictionary<string, JsonNode>, string> resultOnceAnswered, params (string Key, string RequestJson)[] asks) => Change(() =>
    {
        // A task cancelled before its work began stays cancelled.
        if (Ended)
        {
            return false;
        }

        foreach (var (key, json) in asks)
        {
            _pending[key] = JsonNode.Parse(json)!;
        }

        _resultOnceAnswered = resultOnceAnswered;
        _status = "input_required";
        return true;
    });

    /// <summary>
    /// Takes the answers of one <c>tasks/update</c> before it is acknowledged, so the next <c>tasks/get</c> lists only
    /// what is still pending; keys the task did not ask for are ignored.
    /// </summary>
    public void Answer(JsonObject responses) => Change(() =>
    {
        var changed = false;
        foreach (var (key, value) in responses)
        {
            if (_pending.Remove(key) && value is not null)
            {
                _answers[key] = value.DeepClone();
                changed = true;
            }
        }

        if (_status == "input_required" && _pending.Count == 0 && _resultOnceAnswered is { } result)
        {
            Record("completed", result(_answers), isError: false);
        }

        return changed;
    });

    public void Complete(string text, bool isError = false) => Finish("completed", () => Record("completed", text, isError));

    public void Fail(int code, string message) => Finish("failed", () => _error = new JsonObject { ["code"] = code, ["message"] = message });

    /// <summary>Cancels the task unless it already ended; a cancel of an ended task changes nothing (it is idempotent).</summary>
    public void Cancel()
    {
        Finish("cancelled", () => { });
        Cancellation.Cancel();
    }

    /// <summary>The flat <c>CreateTaskResult</c> a <c>tools/call</c> answers with.</summary>
    public JsonObject Created()
    {
        lock (_lock)
        {
            return Describe("task");
        }
    }

    /// <summary>The task as <c>tasks/get</c> reports it: its status and, by status, what it is waiting for or ended with.</summary>
    public JsonObject Detailed()
    {
        lock (_lock)
        {
            var task = Describe("complete");
            if (_status == "input_required")
            {
                task["inputRequests"] = new JsonObject(_pending.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone())));
            }

            if (_result is not null)
            {
                task["result"] = _result.DeepClone();
            }

            if (_error is not null)
            {
                task["error"] = _error.DeepClone();
            }

            return task;
        }
    }

    private JsonObject Describe(string resultType) => new()
    {
        ["resultType"] = resultType,
        ["taskId"] = Id,
        ["status"] = _status,
        ["createdAt"] = Timestamp(_createdAt),
        ["lastUpdatedAt"] = Timestamp(_lastUpdatedAt),
        ["ttlMs"] = TtlMs,
        ["pollIntervalMs"] = PollIntervalMs,
    };

    private void Record(string status, string text, bool isError)
    {
        _result = new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) };
        if (isError)
        {
            _result["isError"] = true;
        }

        _status = status;
    }

    private void Finish(string status, Action record) => Change(() =>
    {
        if (Ended)
        {
            return false;
        }

        record();
        _status = status;
        return true;
    });

    /// <summary>Applies a change under the lock; <c>lastUpdatedAt</c> moves only when it changed something.</summary>
    private void Change(Func<bool> change)
    {
        lock (_lock)
        {
            if (change())
            {
                _lastUpdatedAt = DateTimeOffset.UtcNow;
            }
        }
    }

    private bool Ended => _status is "completed" or "failed" or "cancelled";

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

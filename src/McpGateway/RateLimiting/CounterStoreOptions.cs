using System.ComponentModel.DataAnnotations;

namespace McpGateway.RateLimiting;

/// <summary>Settings under <c>Gateway:Counters:</c>. Setting <see cref="Table"/> selects the DynamoDB store.</summary>
public sealed class CounterStoreOptions
{
    public const string SectionName = "Gateway:Counters";

    /// <summary>The DynamoDB table (partition key <c>pk</c>, string). Unset: counters stay in memory.</summary>
    public string? Table { get; set; }

    /// <summary>
    /// How long one reservation may take, retries included, before the store counts as unavailable and
    /// the limit's <c>on_store_error</c> decides. Short, because the agent is waiting.
    /// </summary>
    [Range(50, 30_000)]
    public int TimeoutMilliseconds { get; set; } = 1000;

    /// <summary>How long a counter item outlives its window before TTL may delete it (cleanup only).</summary>
    [Range(0, 7 * 86_400)]
    public int TtlGraceSeconds { get; set; } = 3600;
}

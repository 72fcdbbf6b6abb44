using McpGateway.Performance.Fixtures;

namespace McpGateway.Performance.Load;

/// <summary>One cell of the matrix: how the upstream answers, how large the arguments are, how many calls are in flight.</summary>
internal sealed record Scenario(ResponseMode Mode, PayloadSize Size, int Concurrency)
{
    public string Describe() =>
        $"{(Mode == ResponseMode.Json ? "JSON" : "SSE")} responses, {(Size == PayloadSize.Small ? "small" : "medium")} arguments ({ToolCallPayload.For(Size).ArgumentBytes:N0} B), concurrency {Concurrency}";

    public string Short => $"{(Mode == ResponseMode.Json ? "JSON" : "SSE")} {(Size == PayloadSize.Small ? "small" : "medium")} c={Concurrency}";
}

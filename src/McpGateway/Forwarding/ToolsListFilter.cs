using System.Text.Json;
using McpGateway.Policy;

namespace McpGateway.Forwarding;

/// <summary>
/// The <c>tools/list</c> filter (issue 2): a <see cref="ListResultFilter"/> over the <c>tools</c> array, judged by
/// the grant's listing policy and, for a pinned server, by each tool's whole definition (issue 15).
/// </summary>
/// <param name="policy">The grant's listing policy.</param>
/// <param name="anyResponse">
/// Filter a tools array in any response, not only in the request's own answer: on GET streams the gateway cannot
/// know which request a resumed response belongs to.
/// </param>
/// <param name="admits">
/// A further judgement of each listed tool by name and definition (a pinned server's tools must match their pins), or none.
/// </param>
internal sealed class ToolsListFilter(CompiledPolicy policy, bool anyResponse, Func<string, JsonElement, bool>? admits = null) : IMessageTransform
{
    private readonly ListResultFilter _filter = new([Kind(policy, admits)], anyResponse);

    public bool Applies(JsonElement message, bool isAnswer) => _filter.Applies(message, isAnswer);

    public void Write(Utf8JsonWriter writer, JsonElement message) => _filter.Write(writer, message);

    /// <summary>Writes <paramref name="message"/> filtered for <paramref name="policy"/>, as a relayed answer is.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement message, CompiledPolicy policy) =>
        new ToolsListFilter(policy, anyResponse: true).Write(writer, message);

    private static ListResultFilter.Kind Kind(CompiledPolicy policy, Func<string, JsonElement, bool>? admits) =>
        new("tools", "name", (name, tool) => policy.IsListed(name) && (admits is null || admits(name, tool)));
}

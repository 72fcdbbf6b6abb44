using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The flat <c>CreateTaskResult</c> of SEP-2663 as an alternate result the SDK can write: <c>resultType</c> is the
/// base's, the task's own fields ride as extension data, exactly as <see cref="ConformanceTask.Created"/> made them.
/// </summary>
internal sealed class CreateTaskResult : Result
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static JsonTypeInfo<CreateTaskResult> TypeInfo { get; } = (JsonTypeInfo<CreateTaskResult>)Options.GetTypeInfo(typeof(CreateTaskResult));

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Fields { get; init; } = [];

    public static CreateTaskResult From(JsonObject created) => JsonSerializer.Deserialize(created.ToJsonString(), TypeInfo)!;
}

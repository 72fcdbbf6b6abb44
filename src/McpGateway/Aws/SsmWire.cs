using System.Text.Json.Serialization;

namespace McpGateway.Aws;

internal sealed record GetParameterRequest(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("WithDecryption")] bool WithDecryption);

internal sealed record GetParameterResponse([property: JsonPropertyName("Parameter")] SsmParameter Parameter);

internal sealed record GetParametersByPathRequest(
    [property: JsonPropertyName("Path")] string Path,
    [property: JsonPropertyName("Recursive")] bool Recursive,
    [property: JsonPropertyName("WithDecryption")] bool WithDecryption,
    [property: JsonPropertyName("MaxResults")] int MaxResults,
    [property: JsonPropertyName("NextToken")] string? NextToken);

internal sealed record GetParametersByPathResponse(
    [property: JsonPropertyName("Parameters")] List<SsmParameter>? Parameters,
    [property: JsonPropertyName("NextToken")] string? NextToken);

internal sealed record PutParameterRequest(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Value")] string Value,
    [property: JsonPropertyName("Type")] string Type,
    [property: JsonPropertyName("Tier")] string Tier,
    [property: JsonPropertyName("Overwrite")] bool Overwrite);

internal sealed record PutParameterResponse([property: JsonPropertyName("Version")] long Version);

internal sealed record SsmErrorBody(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? LowerMessage,
    [property: JsonPropertyName("Message")] string? Message);

/// <summary>Source-generated JSON for the SSM JSON 1.1 protocol (only the operations the gateway uses).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetParameterRequest))]
[JsonSerializable(typeof(GetParameterResponse))]
[JsonSerializable(typeof(GetParametersByPathRequest))]
[JsonSerializable(typeof(GetParametersByPathResponse))]
[JsonSerializable(typeof(PutParameterRequest))]
[JsonSerializable(typeof(PutParameterResponse))]
[JsonSerializable(typeof(SsmErrorBody))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;

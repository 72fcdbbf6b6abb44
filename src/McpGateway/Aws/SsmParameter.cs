using System.Text.Json.Serialization;

namespace McpGateway.Aws;

/// <summary>A Parameter Store parameter as GetParameter and GetParametersByPath return it.</summary>
internal sealed record SsmParameter(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Type")] string? Type,
    [property: JsonPropertyName("Value")] string Value,
    [property: JsonPropertyName("Version")] long Version);

/// <summary>How an SSM call failed, as a value the caller can branch on.</summary>
internal enum SsmError
{
    None,
    NotFound,
    AlreadyExists,
    Throttled,
    AccessDenied,
    Unavailable,
    Rejected,
}

/// <summary>An SSM call's outcome: a value, or a typed error with the service's message.</summary>
internal readonly record struct SsmResult<T>(T? Value, SsmError Error, string? Message)
{
    public bool IsSuccess => Error == SsmError.None;

    public static SsmResult<T> Success(T value) => new(value, SsmError.None, null);

    public static SsmResult<T> Failure(SsmError error, string message) => new(default, error, message);
}

namespace McpGateway.Aws;

/// <summary>A Parameter Store call's outcome: a value, or a typed error with the service's message.</summary>
internal readonly record struct SsmResult<T>(T? Value, SsmError Error, string? Message)
{
    public bool IsSuccess => Error == SsmError.None;

    public static SsmResult<T> Success(T value) => new(value, SsmError.None, null);

    public static SsmResult<T> Failure(SsmError error, string message) => new(default, error, message);
}

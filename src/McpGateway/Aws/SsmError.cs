namespace McpGateway.Aws;

/// <summary>How a Parameter Store call failed, as a value the caller can branch on.</summary>
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

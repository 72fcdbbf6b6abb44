using System.Collections.Immutable;

namespace McpGateway.Configuration;

/// <summary>
/// An approver: a credential for the admin API, distinct from grant tokens and stored the same way (only
/// its SHA-256). Admin credentials cannot call tools, and grant tokens cannot use the admin API.
/// </summary>
internal sealed record AdminConfig(string Name, ImmutableArray<byte> TokenSha256);

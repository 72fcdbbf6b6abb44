using System.Collections.Immutable;

namespace McpGateway.Configuration;

/// <summary>
/// A grant: a bearer token (stored only as its SHA-256) that lets one agent use one server under one policy.
/// </summary>
internal sealed record GrantConfig(
    string Label,
    ImmutableArray<byte> TokenSha256,
    string Server,
    string Policy);

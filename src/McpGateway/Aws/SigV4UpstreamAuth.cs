namespace McpGateway.Aws;

/// <summary>
/// How the gateway signs requests to one upstream with AWS Signature Version 4: the signing service and
/// region, and optionally a role to assume per grant instead of signing as the gateway's own identity.
/// </summary>
/// <param name="Service">The signing service name (<c>ecs-mcp</c>, <c>eks-mcp</c>, <c>aws-mcp</c>).</param>
/// <param name="Region">The signing region, the endpoint's own.</param>
/// <param name="RoleArn">When set, each grant signs as its own session of this role (issue 13).</param>
internal sealed record SigV4UpstreamAuth(string Service, string Region, string? RoleArn);

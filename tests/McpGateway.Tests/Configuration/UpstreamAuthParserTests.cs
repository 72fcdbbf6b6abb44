using McpGateway.Configuration;

namespace McpGateway.Tests.Configuration;

/// <summary>A server entry's <c>auth</c> (issue 13): inferred where AWS's host names it, refused with the entry's name otherwise.</summary>
public sealed class UpstreamAuthParserTests
{
    [Fact]
    public void AwsHostedEndpoint_ServiceAndRegionOmitted_InferredFromHost()
    {
        var server = Parse("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4"}}""");

        Assert.Equal(new McpGateway.Aws.SigV4UpstreamAuth("ecs-mcp", "us-west-2", null), server.Auth);
    }

    [Fact]
    public void ExplicitServiceRegionAndRole_WithStaticHeaders_AllKept()
    {
        var server = Parse("""{"url":"https://mcp.example.com/mcp","headers":{"X-Team":"infra"},"auth":{"type":"aws_sigv4","service":"execute-api","region":"eu-central-1","role_arn":"arn:aws:iam::123456789012:role/mcp/ecs-agents"}}""");

        Assert.Equal(new McpGateway.Aws.SigV4UpstreamAuth("execute-api", "eu-central-1", "arn:aws:iam::123456789012:role/mcp/ecs-agents"), server.Auth);
        Assert.Equal("infra", server.Headers["X-Team"]);
    }

    [Fact]
    public void NoAuth_Parsed_AuthIsNull() => Assert.Null(Parse("""{"url":"https://mcp.example.com/mcp"}""").Auth);

    [Theory]
    [InlineData("""{"url":"https://mcp.example.com/mcp","auth":{"type":"aws_sigv4"}}""", "auth needs \"service\" and \"region\"")]
    [InlineData("""{"url":"https://mcp.example.com/mcp","auth":{"type":"aws_sigv4","service":"ecs-mcp"}}""", "auth needs \"service\" and \"region\"")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"bearer"}}""", "auth.type must be \"aws_sigv4\"")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{}}""", "auth.type must be \"aws_sigv4\"")]
    [InlineData("""{"url":"http://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4"}}""", "must use https (http is accepted only on loopback addresses)")]
    [InlineData("""{"url":"http://10.0.0.5:8080/mcp","auth":{"type":"aws_sigv4","service":"s","region":"us-east-1"}}""", "must use https")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4","region":"Oregon"}}""", "auth.region \"Oregon\" is not an AWS region name")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4","service":"ECS MCP"}}""", "auth.service \"ECS MCP\" is not a signing service name")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4","role_arn":"arn:aws:iam::123:user/bob"}}""", "auth.role_arn must be an IAM role ARN")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","headers":{"Authorization":"Bearer x"},"auth":{"type":"aws_sigv4"}}""", "header \"Authorization\" cannot be combined with aws_sigv4 auth")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","headers":{"X-Amz-Security-Token":"x"},"auth":{"type":"aws_sigv4"}}""", "header \"X-Amz-Security-Token\" cannot be combined")]
    [InlineData("""{"url":"https://ecs-mcp.us-west-2.api.aws/mcp","auth":{"type":"aws_sigv4","secret":"x"}}""", "secret")]
    public void InvalidAuth_Parsed_ErrorNamesTheEntry(string json, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(json));

        Assert.StartsWith("server \"ecs\": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/mcp")]
    [InlineData("http://localhost:8080/mcp")]
    [InlineData("http://[::1]:8080/mcp")]
    public void PlainHttpOnLoopback_Parsed_Accepted(string url) =>
        Assert.NotNull(Parse($$$"""{"url":"{{{url}}}","auth":{"type":"aws_sigv4","service":"ecs-mcp","region":"us-west-2"}}""").Auth);

    private static ServerConfig Parse(string json) => ConfigEntryParser.ParseServer("ecs", Encoding.UTF8.GetBytes(json));
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>The deployment template's security and streaming properties (issue 6), read from template.yaml itself.</summary>
public sealed class TemplateTests
{
    private readonly SamTemplate _template = SamTemplate.Load();

    [Fact]
    public async Task CfnLint_Template_PassesWithNoErrorsOrWarnings()
    {
        var start = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add("template.yaml");
        using var lint = Process.Start(start)!;
        var output = await lint.StandardOutput.ReadToEndAsync() + await lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();

        Assert.True(lint.ExitCode == 0, output);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public void RolePolicy_NoWildcardActions()
    {
        var actions = _template.RoleStatements().SelectMany(s => SamTemplate.Scalars(SamTemplate.Get(s, "Action"))).Select(a => a.Value!).ToArray();

        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.DoesNotContain("*", action, StringComparison.Ordinal));
    }

    [Fact]
    public void RolePolicy_ResourcesScopedToTableAndPrefix_WildcardOnlyForXRay()
    {
        foreach (var statement in _template.RoleStatements())
        {
            var sid = SamTemplate.Scalar(statement, "Sid");
            var resource = SamTemplate.Get(statement, "Resource");
            switch (sid)
            {
                case "Counters":
                    Assert.Equal("!GetAtt", resource.Tag.Value);
                    Assert.Equal("CountersTable.Arn", ((YamlScalarNode)resource).Value);
                    break;
                case "Configuration":
                    var arns = ((YamlSequenceNode)resource).Children.Cast<YamlScalarNode>().Select(n => n.Value!).ToArray();
                    Assert.Equal(
                        ["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ConfigPrefix}", "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ConfigPrefix}/*"],
                        arns);
                    break;
                case "SecureStrings":
                    Assert.Equal("kms:Decrypt", SamTemplate.Scalar(statement, "Action"));
                    var condition = SamTemplate.Get(statement, "Condition");
                    Assert.Equal("ssm.${AWS::Region}.amazonaws.com", SamTemplate.Scalar(SamTemplate.Get(condition, "StringEquals"), "kms:ViaService"));
                    Assert.EndsWith("parameter${ConfigPrefix}/*", SamTemplate.Scalar(SamTemplate.Get(condition, "StringLike"), "kms:EncryptionContext:PARAMETER_ARN"), StringComparison.Ordinal);
                    Assert.DoesNotContain(SamTemplate.Scalars(resource), s => s.Value == "*");
                    break;
                case "Logs":
                    Assert.Equal("${GatewayLogGroup.Arn}:*", ((YamlScalarNode)resource).Value);
                    break;
                case "Tracing":
                    Assert.All(SamTemplate.Scalars(SamTemplate.Get(statement, "Action")), a => Assert.StartsWith("xray:", a.Value, StringComparison.Ordinal));
                    break;
                case "SignedUpstreams":
                    // Only the actions the operator names (issue 13); off unless the parameter is set.
                    Assert.Equal("!Ref", SamTemplate.Get(statement, "Action").Tag.Value);
                    Assert.Equal("SignedUpstreamActions", SamTemplate.Scalar(statement, "Action"));
                    break;
                case "GrantSessions":
                    Assert.Equal(["sts:AssumeRole", "sts:TagSession"], SamTemplate.Scalars(SamTemplate.Get(statement, "Action")).Select(a => a.Value));
                    Assert.Equal("!Ref", resource.Tag.Value);
                    Assert.Equal("AssumableRoleArns", ((YamlScalarNode)resource).Value);
                    break;
                default:
                    Assert.Fail($"unexpected statement {sid}: every statement must be reviewed by this test");
                    break;
            }

            if (sid is not "Tracing" and not "SignedUpstreams")
            {
                Assert.DoesNotContain(SamTemplate.Scalars(resource), s => s.Value == "*");
            }
        }
    }

    [Fact]
    public void RolePolicy_DynamoDbSsmAndStsActions_AreExactlyTheCallsTheGatewayMakes()
    {
        // Every AWS call of the gateway (not the CLI) found in its source: a call of a method the DynamoDB, Parameter
        // Store or STS client declares is that service's IAM action of the same name.
        var services = new (Type Client, string Prefix)[]
        {
            (typeof(Amazon.DynamoDBv2.IAmazonDynamoDB), "dynamodb"),
            (typeof(Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement), "ssm"),
            (typeof(Amazon.SecurityToken.IAmazonSecurityTokenService), "sts"),
        };
        var called = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in GatewaySources())
        {
            foreach (Match call in Regex.Matches(File.ReadAllText(file), @"\.(?<name>[A-Z]\w*)Async\("))
            {
                foreach (var (client, prefix) in services)
                {
                    if (client.GetMethods().Any(m => m.Name == call.Groups["name"].Value + "Async"))
                    {
                        called.Add(prefix + ":" + call.Groups["name"].Value);
                    }
                }
            }
        }

        // AssumeRole with session tags (the grant, issue 13) also needs sts:TagSession (IAM: "Passing session tags in AWS STS").
        if (called.Contains("sts:AssumeRole"))
        {
            called.Add("sts:TagSession");
        }

        var granted = new SortedSet<string>(
            _template.RoleStatements()
                .Where(s => SamTemplate.Scalar(s, "Sid") is "Counters" or "Configuration" or "GrantSessions")
                .SelectMany(s => SamTemplate.Scalars(SamTemplate.Get(s, "Action")).Select(a => a.Value!)),
            StringComparer.Ordinal);

        Assert.Contains("dynamodb:Scan", called);
        Assert.Equal(called, granted);
    }

    /// <summary>
    /// The gateway's own source (library and host). <c>ParameterStoreClient.cs</c> is left out: a wrapper shared with the
    /// CLI whose methods carry the SDK calls' names, so what the gateway uses of it is found where the gateway calls it.
    /// </summary>
    private static IEnumerable<string> GatewaySources() =>
        new[] { "McpGateway", "McpGateway.Host" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        Path.GetFileName(f) != "ParameterStoreClient.cs");

    [Fact]
    public void SignedUpstreamPermissions_OffByDefault()
    {
        var parameters = SamTemplate.Map(_template.Root, "Parameters");
        Assert.Equal("", SamTemplate.Scalar(SamTemplate.Get(parameters, "SignedUpstreamActions"), "Default"));
        Assert.Equal("", SamTemplate.Scalar(SamTemplate.Get(parameters, "AssumableRoleArns"), "Default"));
        var statements = ((YamlSequenceNode)SamTemplate.Get(SamTemplate.Get(((YamlSequenceNode)SamTemplate.Get(_template.Properties("GatewayRole"), "Policies")).Children[0], "PolicyDocument"), "Statement")).Children;
        var conditions = statements.OfType<YamlSequenceNode>().Where(s => s.Tag.Value == "!If").Select(s => ((YamlScalarNode)s.Children[0]).Value).ToArray();
        Assert.Contains("HasSignedUpstreamActions", conditions);
        Assert.Contains("HasAssumableRoles", conditions);
    }

    [Theory]
    [InlineData("SignedUpstreamActions", "eks-mcp:InvokeMcp", true)]
    [InlineData("SignedUpstreamActions", "ecs-mcp:InvokeReadOnlyTools", true)]
    [InlineData("SignedUpstreamActions", "ecs:Describe*", true)]
    [InlineData("SignedUpstreamActions", "ecr:BatchGetImage", true)]
    [InlineData("SignedUpstreamActions", "", true)]
    [InlineData("SignedUpstreamActions", "*", false)]
    [InlineData("SignedUpstreamActions", "*:*", false)]
    [InlineData("SignedUpstreamActions", "iam:*", false)]
    [InlineData("SignedUpstreamActions", "iam:CreateUser", false)]
    [InlineData("SignedUpstreamActions", "iam:Get*", false)]
    [InlineData("SignedUpstreamActions", "sts:AssumeRole", false)]
    [InlineData("SignedUpstreamActions", "eks-mcp:*", false)]
    [InlineData("SignedUpstreamActions", "ecs:*Describe", false)]
    [InlineData("SignedUpstreamActions", "ecs:Describe*Tasks", false)]
    [InlineData("AssumableRoleArns", "arn:aws:iam::123456789012:role/mcp-ecs-agents", true)]
    [InlineData("AssumableRoleArns", "arn:aws-us-gov:iam::123456789012:role/team/agents", true)]
    [InlineData("AssumableRoleArns", "*", false)]
    [InlineData("AssumableRoleArns", "arn:aws:iam::123456789012:role/*", false)]
    [InlineData("AssumableRoleArns", "arn:aws:iam::*:role/admin", false)]
    public void SignedUpstreamPermissions_EachItemOneActionOrANamedPrefix(string parameter, string item, bool allowed)
    {
        // CloudFormation matches a CommaDelimitedList's AllowedPattern against each item.
        var pattern = SamTemplate.Scalar(SamTemplate.Get(SamTemplate.Map(_template.Root, "Parameters"), parameter), "AllowedPattern");

        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(item, pattern));
    }

    [Fact]
    public void McpRoute_StreamsResponsesWithFifteenMinuteIntegrationTimeout()
    {
        var mcp = SamTemplate.Get(SamTemplate.Map(_template.Properties("GatewayFunction"), "Events"), "Mcp");
        var properties = SamTemplate.Get(mcp, "Properties");

        Assert.Equal("Api", SamTemplate.Scalar(mcp, "Type"));
        Assert.Equal("/mcp/{proxy+}", SamTemplate.Scalar(properties, "Path"));
        Assert.Equal("ANY", SamTemplate.Scalar(properties, "Method"));
        Assert.Equal("RESPONSE_STREAM", SamTemplate.Scalar(properties, "ResponseTransferMode"));
        Assert.Equal("900000", SamTemplate.Scalar(properties, "TimeoutInMillis"));
    }

    [Fact]
    public void Function_WebAdapterInResponseStreamModeOnLoopback()
    {
        var function = _template.Properties("GatewayFunction");
        var variables = SamTemplate.Map(SamTemplate.Get(function, "Environment"), "Variables");

        Assert.Equal("dotnet10", SamTemplate.Scalar(function, "Runtime"));
        Assert.Equal("run.sh", SamTemplate.Scalar(function, "Handler"));
        Assert.Equal("makefile", SamTemplate.Scalar(SamTemplate.Get(_template.Resource("GatewayFunction"), "Metadata"), "BuildMethod"));
        Assert.Equal("/opt/bootstrap", SamTemplate.Scalar(variables, "AWS_LAMBDA_EXEC_WRAPPER"));
        Assert.Equal("response_stream", SamTemplate.Scalar(variables, "AWS_LWA_INVOKE_MODE"));
        Assert.Equal("/healthz", SamTemplate.Scalar(variables, "AWS_LWA_READINESS_CHECK_PATH"));
        Assert.StartsWith("http://127.0.0.1:", SamTemplate.Scalar(variables, "ASPNETCORE_URLS"), StringComparison.Ordinal);
        Assert.EndsWith(":" + SamTemplate.Scalar(variables, "AWS_LWA_PORT"), SamTemplate.Scalar(variables, "ASPNETCORE_URLS"), StringComparison.Ordinal);

        // The adapter layer is pinned to one version, for each architecture.
        var layers = SamTemplate.Scalars(SamTemplate.Get(function, "Layers")).Select(s => s.Value!).Where(v => v.Contains("layer:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, layers.Length);
        Assert.All(layers, l => Assert.Matches(@":753240598075:layer:LambdaAdapterLayer(Arm64|X86):\d+$", l));
    }

    [Fact]
    public void CountersTable_OnDemandWithTtlAndPointInTimeRecovery()
    {
        var table = _template.Properties("CountersTable");

        Assert.Equal("PAY_PER_REQUEST", SamTemplate.Scalar(table, "BillingMode"));
        Assert.Equal("expires_at", SamTemplate.Scalar(SamTemplate.Get(table, "TimeToLiveSpecification"), "AttributeName"));
        Assert.Equal("true", SamTemplate.Scalar(SamTemplate.Get(table, "TimeToLiveSpecification"), "Enabled"));
        Assert.Equal("true", SamTemplate.Scalar(SamTemplate.Get(table, "PointInTimeRecoverySpecification"), "PointInTimeRecoveryEnabled"));
        Assert.Equal("TableDeletionProtection", ((YamlScalarNode)SamTemplate.Get(table, "DeletionProtectionEnabled")).Value);
        Assert.Equal("pk", SamTemplate.Scalar(((YamlSequenceNode)SamTemplate.Get(table, "KeySchema")).Children[0], "AttributeName"));
    }

    [Fact]
    public void SessionKey_GeneratedByCloudFormation_NotAParameter()
    {
        var parameters = SamTemplate.Map(_template.Root, "Parameters").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).ToArray();
        var variables = SamTemplate.Map(SamTemplate.Get(_template.Properties("GatewayFunction"), "Environment"), "Variables");

        Assert.DoesNotContain(parameters, p => p!.Contains("Key", StringComparison.Ordinal) && !p.Contains("Kms", StringComparison.Ordinal));
        Assert.Contains("{{resolve:secretsmanager:${SessionKeySecret}", SamTemplate.Scalar(variables, "Gateway__SessionKey"), StringComparison.Ordinal);
        Assert.Equal("64", SamTemplate.Scalar(SamTemplate.Get(_template.Properties("SessionKeySecret"), "GenerateSecretString"), "PasswordLength"));
    }
}

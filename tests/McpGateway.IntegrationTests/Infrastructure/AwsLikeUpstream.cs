using System.Security.Cryptography;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// An upstream built with the C# SDK's ASP.NET Core server (stateless streamable HTTP) whose tools carry the
/// names of the AWS ECS and EKS MCP servers' tools, with descriptions and schemas of our own. Like those
/// servers it mostly declares no annotations, and it multiplexes reads and deletes under
/// <c>manage_k8s_resource</c>'s <c>operation</c>. It pages <c>tools/list</c> <see cref="PageSize"/> tools at a
/// time and answers 401 to any request without its <see cref="ApiKeyHeader"/>.
/// </summary>
internal sealed class AwsLikeUpstream(WebApplication app, Uri url, string apiKey) : IAsyncDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";

    public const int PageSize = 4;

    public Uri Url { get; } = url;

    /// <summary>The value <see cref="ApiKeyHeader"/> must carry; fresh per upstream.</summary>
    public string ApiKey { get; } = apiKey;

    /// <summary>tools/list requests that reached the tool list (past the key check).</summary>
    public int ListRequests => _listRequests;

    private int _listRequests;

    /// <summary>Every tool and the class the classifier is expected to give it.</summary>
    public static IReadOnlyList<(Tool Tool, string Category)> Tools { get; } =
    [
        (Define("build_and_push_image_to_ecr", "Builds a container image from the application's source directory and pushes it to an Amazon ECR repository.",
            """{"type":"object","properties":{"app_path":{"type":"string"},"repository":{"type":"string"},"tag":{"type":"string"}},"required":["app_path","repository"]}"""), "execute"),
        (Define("containerize_app", "Suggests a Dockerfile and the build settings for the application in a directory.",
            """{"type":"object","properties":{"app_path":{"type":"string"}}}"""), "write"),
        (Define("create_ecs_infrastructure", "Creates the ECS cluster, task definition, service and load balancer for an application.",
            """{"type":"object","properties":{"app_name":{"type":"string"},"image_uri":{"type":"string"}}}"""), "write"),
        (Define("get_deployment_status", "Returns the rollout state and the load balancer URL of an ECS deployment.",
            """{"type":"object","properties":{"app_name":{"type":"string"}}}"""), "read"),
        (Define("delete_app", "Deletes an application's ECS service, its task definitions and its load balancer.",
            """{"type":"object","properties":{"app_name":{"type":"string"}},"required":["app_name"]}"""), "destructive"),
        (Define("list_clusters", "Lists the EKS clusters in the account and region.",
            """{"type":"object","properties":{"region":{"type":"string"}}}"""), "read"),
        (Define("describe_build", "Shows one image build: its steps, duration and result.",
            """{"type":"object","properties":{"build_id":{"type":"string"}}}"""), "read"),
        (Define("manage_k8s_resource", "Works on one Kubernetes resource in a cluster: create, replace, patch, delete or read it.",
            """{"type":"object","properties":{"operation":{"type":"string","enum":["create","replace","patch","delete","read"]},"kind":{"type":"string"},"name":{"type":"string"},"namespace":{"type":"string"}},"required":["operation","kind","name"]}"""), "destructive"),
        (Define("list_k8s_resources", "Lists Kubernetes resources of one kind, with optional label and field selectors.",
            """{"type":"object","properties":{"kind":{"type":"string"},"namespace":{"type":"string"}}}"""), "read"),
        (Define("apply_yaml", "Applies a Kubernetes YAML manifest to a cluster.",
            """{"type":"object","properties":{"yaml_path":{"type":"string"}}}"""), "write"),
        (Define("get_pod_logs", "Gets the most recent log lines of a pod's container.",
            """{"type":"object","properties":{"pod":{"type":"string"},"tail_lines":{"type":"integer"}}}"""), "read"),
        (Define("purge_image_cache", "Deletes every cached image layer on the build host.",
            """{"type":"object","properties":{}}""", new ToolAnnotations { ReadOnlyHint = true }), "destructive"),
        (Define("reconcile_services", "Brings the services of a cluster in line with their desired state.",
            """{"type":"object","properties":{"cluster":{"type":"string"}}}""", new ToolAnnotations { DestructiveHint = true }), "destructive"),
        (Define("create_refund", "Creates a refund of a customer's charge for unused capacity.",
            """{"type":"object","properties":{"charge_id":{"type":"string"},"amount":{"type":"integer"}},"required":["charge_id"]}"""), "financial"),
    ];

    public static async Task<AwsLikeUpstream> StartAsync()
    {
        var apiKey = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = LoopbackApp.CreateBuilder();
        AwsLikeUpstream? upstream = null;
        builder.Services
            .AddMcpServer(options => options.ServerInfo = new Implementation { Name = "aws-like-test-upstream", Version = "1.0.0" })
            .WithHttpTransport(options => options.Stateless = true)
            .WithListToolsHandler((request, _) =>
            {
                Interlocked.Increment(ref upstream!._listRequests);
                var start = request.Params?.Cursor is { } cursor ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), System.Globalization.CultureInfo.InvariantCulture) : 0;
                var page = Tools.Skip(start).Take(PageSize).Select(t => t.Tool).ToList();
                var next = start + PageSize < Tools.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
                return ValueTask.FromResult(new ListToolsResult { Tools = page, NextCursor = next });
            })
            .WithCallToolHandler((_, _) => ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = "this test upstream only lists its tools" }], IsError = true }));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var given = context.Request.Headers[ApiKeyHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(apiKey)))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapMcp("/mcp");
        var address = await app.StartLoopbackAsync();
        upstream = new AwsLikeUpstream(app, new Uri(address, "/mcp"), apiKey);
        return upstream;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Tool Define(string name, string description, string schema, ToolAnnotations? annotations = null) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
        Annotations = annotations,
    };
}

using System.Text.RegularExpressions;
using McpGateway.Metrics;
using YamlDotNet.RepresentationModel;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// The template's dashboard, alarms and alarm topic (issue 18), read from template.yaml. The gateway's metric names
/// are checked against <see cref="EmfWriter.Metrics"/>, which <c>EmfDecisionLineTests</c> proves is exactly what a
/// real gateway declares on its decision lines.
/// </summary>
public sealed partial class MonitoringTemplateTests
{
    private static readonly HashSet<string> Emitted = [.. EmfWriter.Metrics.Select(m => m.Name)];

    private readonly SamTemplate _template = SamTemplate.Load();

    [Fact]
    public void Dashboard_Body_IsValidJsonNamingOnlyMetricsTheGatewayEmits()
    {
        var body = (YamlScalarNode)SamTemplate.Get(_template.Properties("GatewayDashboard"), "DashboardBody");
        Assert.Equal("!Sub", body.Tag.Value);

        // Every ${...} must be something !Sub can resolve: a parameter, a resource or a pseudo parameter.
        var known = Keys(SamTemplate.Map(_template.Root, "Parameters")).Concat(Keys(SamTemplate.Map(_template.Root, "Resources"))).Append("AWS::Region").Append("AWS::StackName").ToHashSet();
        foreach (Match placeholder in Placeholder().Matches(body.Value!))
        {
            Assert.Contains(placeholder.Groups[1].Value, known);
        }

        using var dashboard = JsonDocument.Parse(Placeholder().Replace(body.Value!, "x"));
        var gatewayMetrics = new List<string>();
        var otherMetrics = new List<string>();
        var logQueries = new List<string>();
        foreach (var widget in dashboard.RootElement.GetProperty("widgets").EnumerateArray())
        {
            var properties = widget.GetProperty("properties");
            Assert.False(string.IsNullOrEmpty(properties.GetProperty("title").GetString()));
            if (widget.GetProperty("type").GetString() == "log")
            {
                logQueries.Add(properties.GetProperty("query").GetString()!);
                continue;
            }

            foreach (var row in properties.GetProperty("metrics").EnumerateArray())
            {
                var first = row[0];
                if (first.ValueKind == JsonValueKind.Object)
                {
                    var search = SearchMetric().Match(first.GetProperty("expression").GetString()!);
                    Assert.True(search.Success, first.ToString());
                    Assert.Equal(EmfWriter.Namespace, search.Groups[1].Value);
                    gatewayMetrics.Add(search.Groups[2].Value);
                }
                else if (first.GetString() == EmfWriter.Namespace)
                {
                    gatewayMetrics.Add(row[1].GetString()!);
                }
                else
                {
                    otherMetrics.Add(first.GetString() + "/" + row[1].GetString());
                }
            }
        }

        Assert.All(gatewayMetrics, name => Assert.Contains(name, Emitted));
        Assert.Superset(Emitted, gatewayMetrics.ToHashSet());
        Assert.Superset(new HashSet<string> { "AWS/Lambda/Duration", "AWS/Lambda/Throttles", "AWS/Lambda/Errors", "AWS/ApiGateway/4XXError", "AWS/ApiGateway/5XXError" }, otherMetrics.ToHashSet());
        Assert.Contains(logQueries, q => q.Contains("initDurationMs", StringComparison.Ordinal));
        Assert.Contains("p99", body.Value!, StringComparison.Ordinal);
    }

    [Fact]
    public void Alarms_CoverStoreUpstreamLambdaAndApiFailures_OnGatewayMetricsThatExist()
    {
        var alarms = Resources("AWS::CloudWatch::Alarm").ToArray();
        var watched = new List<string>();
        foreach (var (_, alarm) in alarms)
        {
            var properties = SamTemplate.Get(alarm, "Properties");
            var metrics = SamTemplate.TryGet(properties, "Metrics", out var list)
                ? ((YamlSequenceNode)list).Children.Where(m => SamTemplate.TryGet(m, "MetricStat", out _)).Select(m => SamTemplate.Get(SamTemplate.Get(m, "MetricStat"), "Metric"))
                : [properties];
            foreach (var metric in metrics)
            {
                var ns = SamTemplate.Scalar(metric, "Namespace");
                var name = SamTemplate.Scalar(metric, "MetricName");
                if (ns == EmfWriter.Namespace)
                {
                    Assert.Contains(name, Emitted);
                }

                watched.Add(ns + "/" + name);
            }

            // Notifications only when an address was given; otherwise the alarm is still there, in the console.
            var actions = (YamlSequenceNode)SamTemplate.Get(properties, "AlarmActions");
            Assert.Equal("!If", actions.Tag.Value);
            Assert.Equal("HasAlarmEmail", ((YamlScalarNode)actions.Children[0]).Value);
            Assert.Equal("notBreaching", SamTemplate.Scalar(properties, "TreatMissingData"));
        }

        Assert.Superset(new HashSet<string> { "McpGateway/StoreErrors", "McpGateway/UpstreamErrors", "AWS/Lambda/Errors", "AWS/Lambda/Throttles", "AWS/ApiGateway/5XXError" }, watched.ToHashSet());

        // Any store error alarms: every such call was refused.
        var store = SamTemplate.Get(_template.Resource("StoreErrorsAlarm"), "Properties");
        Assert.Equal("1", SamTemplate.Scalar(store, "Threshold"));
        Assert.Equal("GreaterThanOrEqualToThreshold", SamTemplate.Scalar(store, "ComparisonOperator"));
    }

    [Fact]
    public void AlarmTopic_ExistsOnlyWithAnAlarmEmail()
    {
        var topic = _template.Resource("AlarmTopic");
        var condition = (YamlSequenceNode)SamTemplate.Get(SamTemplate.Map(_template.Root, "Conditions"), "HasAlarmEmail");
        var subscription = ((YamlSequenceNode)SamTemplate.Get(SamTemplate.Get(topic, "Properties"), "Subscription")).Children[0];

        Assert.Equal("HasAlarmEmail", SamTemplate.Scalar(topic, "Condition"));
        Assert.Equal("!Not", condition.Tag.Value);
        Assert.Equal("""!Equals [!Ref AlarmEmail, ""]""", Flow(condition.Children[0]));
        Assert.Equal("email", SamTemplate.Scalar(subscription, "Protocol"));
        Assert.Equal("AlarmEmail", SamTemplate.Scalar(subscription, "Endpoint"));
        Assert.Equal("", SamTemplate.Scalar(SamTemplate.Get(SamTemplate.Map(_template.Root, "Parameters"), "AlarmEmail"), "Default"));
    }

    [Fact]
    public void Dashboard_PlatformLinesItQueries_AreLoggedAtTheFunctionsSystemLogLevel()
    {
        var body = ((YamlScalarNode)SamTemplate.Get(_template.Properties("GatewayDashboard"), "DashboardBody")).Value!;
        var logging = SamTemplate.Map(_template.Properties("GatewayFunction"), "LoggingConfig");
        var level = SamTemplate.Scalar(logging, "SystemLogLevel");

        // Lambda's log-level filtering: platform.start and platform.report are INFO system logs, so at WARN the
        // cold-start widget's query finds nothing. Only the levels that keep them will do.
        Assert.Contains("type = 'platform.report'", body, StringComparison.Ordinal);
        Assert.Equal("JSON", SamTemplate.Scalar(logging, "LogFormat"));
        Assert.Contains(level, new[] { "INFO", "DEBUG" });
    }

    [Fact]
    public void Function_WritesEmfDecisionLines_ToolDimensionOffByDefault()
    {
        var variables = SamTemplate.Map(SamTemplate.Get(_template.Properties("GatewayFunction"), "Environment"), "Variables");

        Assert.Equal("true", SamTemplate.Scalar(variables, "Gateway__Metrics__Emf"));
        Assert.Equal("MetricsToolDimension", SamTemplate.Scalar(variables, "Gateway__Metrics__ToolDimension"));
        Assert.Equal("false", SamTemplate.Scalar(SamTemplate.Get(SamTemplate.Map(_template.Root, "Parameters"), "MetricsToolDimension"), "Default"));
        Assert.DoesNotContain(variables.Children.Keys.Cast<YamlScalarNode>(), k => k.Value == "Gateway__Metrics__Prometheus");
    }

    private IEnumerable<(string Name, YamlMappingNode Resource)> Resources(string type) =>
        SamTemplate.Map(_template.Root, "Resources").Children
            .Where(r => SamTemplate.Scalar(r.Value, "Type") == type)
            .Select(r => (((YamlScalarNode)r.Key).Value!, (YamlMappingNode)r.Value));

    private static IEnumerable<string> Keys(YamlMappingNode map) => map.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!);

    private static string Flow(YamlNode node) => node switch
    {
        YamlSequenceNode s => s.Tag.Value + " [" + string.Join(", ", s.Children.Select(Flow)) + "]",
        YamlScalarNode { Tag.IsEmpty: false } t => t.Tag.Value + " " + t.Value,
        YamlScalarNode v => v.Value == "" ? "\"\"" : v.Value!,
        _ => node.ToString(),
    };

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("""^SEARCH\('\{([A-Za-z]+),Server\} MetricName="([A-Za-z]+)"'""")]
    private static partial Regex SearchMetric();
}

using YamlDotNet.RepresentationModel;

namespace McpGateway.IntegrationTests.Deployment;

/// <summary>
/// template.yaml read as a YAML tree. CloudFormation's short-form functions (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt</c>, <c>!If</c>) stay as node tags, so assertions can see exactly what the template says.
/// </summary>
internal sealed class SamTemplate
{
    private SamTemplate(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public static SamTemplate Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "template.yaml")));
        stream.Load(reader);
        return new SamTemplate((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode Resource(string name) => Map(Map(Root, "Resources"), name);

    public YamlMappingNode Properties(string resource) => Map(Resource(resource), "Properties");

    public static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    public static YamlNode Get(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    public static bool TryGet(YamlNode node, string key, out YamlNode value) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out value!);

    public static string Scalar(YamlNode node, string key) => ((YamlScalarNode)Get(node, key)).Value!;

    /// <summary>Every scalar string below <paramref name="node"/>, for "does any action contain *" checks.</summary>
    public static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    /// <summary>The role's policy statements, with conditional ones (<c>!If [cond, statement, NoValue]</c>) unwrapped.</summary>
    public IReadOnlyList<YamlMappingNode> RoleStatements()
    {
        var statements = new List<YamlMappingNode>();
        foreach (var policy in ((YamlSequenceNode)Get(Properties("GatewayRole"), "Policies")).Children)
        {
            foreach (var statement in ((YamlSequenceNode)Get(Get(policy, "PolicyDocument"), "Statement")).Children)
            {
                if (statement is YamlSequenceNode conditional && conditional.Tag.Value == "!If")
                {
                    statements.Add((YamlMappingNode)conditional.Children[1]);
                }
                else
                {
                    statements.Add((YamlMappingNode)statement);
                }
            }
        }

        return statements;
    }
}

using System.Text.Json;

namespace McpGateway.Configuration;

/// <summary>
/// Reads the local configuration file (<c>{"servers": {...}, "policies": {...}, "grants": {...}}</c>) and
/// passes each entry through <see cref="ConfigEntryParser"/>, the same path the Parameter Store source uses.
/// A broken file stops the gateway from starting; a broken entry is reported and left out (a broken
/// policy is kept as invalid so its grants deny every call).
/// </summary>
internal static class ConfigFileLoader
{

    public static GatewaySnapshot Load(string path, Action<string> reportProblem)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read the configuration file {path}: {ex.Message}");
        }

        return Parse(bytes, path, reportProblem);
    }

    public static GatewaySnapshot Parse(ReadOnlySpan<byte> json, string source, Action<string> reportProblem)
    {
        JsonDocument document;
        try
        {
            // Comments are allowed in the local file (operators annotate it); duplicate keys are not.
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"the configuration file {source} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException($"the configuration file {source} must hold a JSON object with servers, policies and grants");
            }

            foreach (var section in root.EnumerateObject())
            {
                if (ConfigEntryKinds.Sections.Parse(section.Name) is null || section.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new ConfigException($"the configuration file {source}: \"{section.Name}\" is not a section: the sections are {ConfigEntryKinds.Sections.Expected}, each an object");
                }
            }

            var servers = new List<ServerConfig>();
            var policies = new List<PolicyEntry>();
            var grants = new List<GrantConfig>();
            var admins = new List<AdminConfig>();
            foreach (var (kind, name, entry) in Entries(root))
            {
                try
                {
                    switch (kind)
                    {
                        case ConfigEntryKind.Server:
                            servers.Add(ConfigEntryParser.ParseServer(name, entry));
                            break;
                        case ConfigEntryKind.Policy:
                            var policy = ConfigEntryParser.ParsePolicy(name, entry);
                            if (policy.Compiled is null)
                            {
                                reportProblem(policy.FailureReason);
                            }

                            policies.Add(policy);
                            break;
                        case ConfigEntryKind.Admin:
                            admins.Add(ConfigEntryParser.ParseAdmin(name, entry));
                            break;
                        default:
                            grants.Add(ConfigEntryParser.ParseGrant(name, entry));
                            break;
                    }
                }
                catch (ConfigException ex)
                {
                    reportProblem(ex.Message);
                }
            }

            return new GatewaySnapshot(servers, policies, grants, source, admins: admins);
        }
    }

    private static IEnumerable<(ConfigEntryKind Kind, string Name, byte[] Entry)> Entries(JsonElement root)
    {
        foreach (var kind in ConfigEntryKinds.All)
        {
            if (!root.TryGetProperty(ConfigEntryKinds.Sections.NameOf(kind), out var entries))
            {
                continue;
            }

            foreach (var entry in entries.EnumerateObject())
            {
                yield return (kind, entry.Name, JsonSerializer.SerializeToUtf8Bytes(entry.Value, ConfigElementContext.Default.JsonElement));
            }
        }
    }
}

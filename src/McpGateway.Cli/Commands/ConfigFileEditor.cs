using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGateway.Cli.Commands;

/// <summary>Adds one entry to a section of the local configuration file, refusing to replace an existing one.</summary>
internal static class ConfigFileEditor
{
    public static string? AddEntry(FileInfo file, string section, string name, JsonObject entry)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file.FullName), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false }) as JsonObject
                ?? throw new JsonException("the file must hold a JSON object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return $"cannot read {file.FullName}: {ex.Message}";
        }

        if (root[section] is not JsonObject entries)
        {
            if (root[section] is not null)
            {
                return $"{file.FullName}: \"{section}\" must be an object";
            }

            entries = [];
            root[section] = entries;
        }

        if (entries.ContainsKey(name))
        {
            return $"{file.FullName}: {section} entry \"{name}\" exists already; choose another name or remove it first";
        }

        entries[name] = entry;
        File.WriteAllText(file.FullName, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return null;
    }
}

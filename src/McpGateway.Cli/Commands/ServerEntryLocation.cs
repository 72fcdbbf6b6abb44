using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Cli.ParameterStore;
using McpGateway.Configuration;

namespace McpGateway.Cli.Commands;

/// <summary>
/// One server entry where the gateway reads it (the configuration file's <c>servers</c> section, or
/// <c>&lt;prefix&gt;/servers/&lt;NAME&gt;</c> in Parameter Store), as the gateway reads it and as raw JSON, so a
/// command can change one member (<c>tool_pins</c>) and write the entry back as it found it otherwise.
/// </summary>
internal sealed class ServerEntryLocation
{
    private readonly Func<string, CancellationToken, Task<string?>> _write;

    private ServerEntryLocation(ServerConfig server, JsonObject entry, string where, Func<string, CancellationToken, Task<string?>> write)
    {
        Server = server;
        Entry = entry;
        Where = where;
        _write = write;
    }

    public ServerConfig Server { get; }

    public JsonObject Entry { get; }

    /// <summary>Where the entry lives, as printed.</summary>
    public string Where { get; }

    /// <summary>Checks <paramref name="entry"/> as the gateway will, then writes it; null, or why nothing was written.</summary>
    public async Task<string?> WriteAsync(JsonObject entry, CancellationToken cancellationToken)
    {
        var value = entry.ToJsonString();
        try
        {
            ConfigEntryParser.ParseServer(Server.Name, Encoding.UTF8.GetBytes(value));
        }
        catch (ConfigException ex)
        {
            return $"{ex.Message}. Nothing was written to {Where}.";
        }

        return await _write(value, cancellationToken).ConfigureAwait(false);
    }

    public static ServerEntryLocation? FromFile(FileInfo file, string name, TextWriter error)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file.FullName), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false }) as JsonObject
                ?? throw new JsonException("the file must hold a JSON object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine($"cannot read {file.FullName}: {ex.Message}");
            return null;
        }

        if (root["servers"] is not JsonObject servers || servers[name] is not JsonObject entry)
        {
            var known = root["servers"] is JsonObject s && s.Count > 0 ? $" (it has {string.Join(", ", s.Select(p => p.Key).Order(StringComparer.Ordinal))})" : "";
            error.WriteLine($"{file.FullName} has no server \"{name}\"{known}");
            return null;
        }

        ServerConfig server;
        try
        {
            server = ConfigEntryParser.ParseServer(name, Encoding.UTF8.GetBytes(entry.ToJsonString()));
        }
        catch (ConfigException ex)
        {
            error.WriteLine($"{file.FullName}: {ex.Message}");
            return null;
        }

        return new ServerEntryLocation(server, entry, $"{file.FullName} (servers.{name})", (value, _) =>
        {
            servers[name] = JsonNode.Parse(value);
            try
            {
                File.WriteAllText(file.FullName, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                return Task.FromResult<string?>(null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Task.FromResult<string?>($"cannot write {file.FullName}: {ex.Message}");
            }
        });
    }

    public static async Task<ServerEntryLocation?> FromParameterStoreAsync(
        ParameterStoreAccess parameterStore, string prefix, string name, TextWriter error, CancellationToken cancellationToken)
    {
        if (!ConfigEntryParser.IsValidName(name))
        {
            error.WriteLine($"--server \"{name}\" is invalid: {McpGateway.Policy.ToolName.Rule}");
            return null;
        }

        var parameterName = ParameterPrefix.EntryName(prefix, ConfigEntryKind.Server, name);
        var client = parameterStore.Connect(error);
        if (client is null)
        {
            return null;
        }

        using (client)
        {
            // Decrypted: an entry with headers is stored as a SecureString, and the gateway reads it the same way.
            var read = await client.GetParameterAsync(parameterName, withDecryption: true, cancellationToken).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                error.WriteLine(read.Error == McpGateway.Aws.SsmError.NotFound
                    ? $"no server \"{name}\": {parameterName} does not exist in Parameter Store"
                    : ParameterStoreAccess.Describe(read.Error, read.Message, parameterName));
                return null;
            }

            JsonObject entry;
            ServerConfig server;
            try
            {
                server = ConfigEntryParser.ParseServer(name, Encoding.UTF8.GetBytes(read.Value!.Value));
                entry = (JsonObject)JsonNode.Parse(read.Value!.Value)!;
            }
            catch (ConfigException ex)
            {
                error.WriteLine($"{parameterName}: {ex.Message}");
                return null;
            }

            var wasSecure = read.Value!.Type == Amazon.SimpleSystemsManagement.ParameterType.SecureString;
            return new ServerEntryLocation(server, entry, parameterName, async (value, token) =>
            {
                if (ParameterWriter.TierFor(Encoding.UTF8.GetByteCount(value)) is null)
                {
                    return $"server \"{name}\": with its pins the entry is over {ParameterWriter.AdvancedMaxBytes} bytes, more than a parameter holds; pin fewer tools (--tool). Nothing was written to {parameterName}.";
                }

                using var writer = parameterStore.Connect(TextWriter.Null);
                if (writer is null)
                {
                    return $"cannot use Parameter Store to write {parameterName}";
                }

                // A SecureString stays one: the entry's headers are secrets whether or not this command added them.
                var stored = await ParameterWriter.PutAsync(writer, parameterName, value, wasSecure || server.Headers.Count > 0, overwrite: true, token).ConfigureAwait(false);
                return stored.IsSuccess ? null : ParameterStoreAccess.Describe(stored.Error, stored.Message, parameterName);
            });
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using McpGateway.Protocol;
using Microsoft.Extensions.Logging;

namespace McpGateway.Tools;

/// <summary>
/// Compiled input schemas keyed by the SHA-256 of their canonical JSON, so a definition is compiled once
/// per instance however many calls it judges (issue 8's budget: compiling costs far more than validating)
/// and a changed schema is never judged by its predecessor's compilation. A schema that cannot be
/// compiled is remembered too, and logged once, so every call to it is denied without retrying the build.
/// </summary>
internal sealed class ArgumentSchemaCache(ILogger<ArgumentSchemaCache> logger)
{
    /// <summary>Bounds memory against an upstream that sends a new schema on every list.</summary>
    public const int MaxEntries = 4096;

    private static readonly Entry Uncompilable = new(null);
    private static readonly JsonDocument EmptyObject = JsonDocument.Parse("{}");

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>
    /// Validates <paramref name="arguments"/> against <paramref name="inputSchema"/>: null when they
    /// conform, else the reason to deny with (a failed keyword and path, or an uncompilable schema).
    /// </summary>
    public string? Check(string server, string tool, JsonElement inputSchema, JsonElement arguments) =>
        Check(server, tool, CanonicalJson.Sha256Hex(inputSchema), inputSchema, arguments);

    /// <summary>
    /// As the other overload, with the schema's canonical hash already known (the gateway keeps it with
    /// each tool definition it holds), so a call does not hash the schema again.
    /// </summary>
    public string? Check(string server, string tool, string schemaHash, JsonElement inputSchema, JsonElement arguments)
    {
        var hash = schemaHash;
        var entry = Get(server, tool, hash, inputSchema);
        if (entry.Schema is not null)
        {
            try
            {
                // Absent arguments are validated as the empty object, as the upstream will read them.
                return arguments.ValueKind == JsonValueKind.Undefined
                    ? entry.Schema.Validate(EmptyObject.RootElement)?.Reason
                    : entry.Schema.Validate(arguments)?.Reason;
            }
            catch (RefResolutionException e)
            {
                // A dangling $ref shows only when followed: from now on the definition counts as uncompilable.
                if (_entries.TryUpdate(hash, Uncompilable, entry))
                {
                    ArgumentSchemaLog.SchemaNotCompiled(logger, server, tool, hash, e.Message);
                }
            }
        }

        return $"the inputSchema of tool \"{tool}\" cannot be compiled, so its arguments cannot be checked";
    }

    private Entry Get(string server, string tool, string hash, JsonElement inputSchema)
    {
        if (_entries.TryGetValue(hash, out var entry))
        {
            return entry;
        }

        var schema = ArgumentSchema.TryCompile(inputSchema, out var problem);
        entry = schema is null ? Uncompilable : new Entry(schema);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        if (_entries.TryAdd(hash, entry) && schema is null)
        {
            ArgumentSchemaLog.SchemaNotCompiled(logger, server, tool, hash, problem ?? "unknown");
        }

        return _entries.TryGetValue(hash, out var stored) ? stored : entry;
    }

    private sealed record Entry(ArgumentSchema? Schema);
}

using System.Text.Json;
using Json.Schema;

namespace McpGateway.Tools;

/// <summary>
/// A tool's <c>inputSchema</c>, compiled once, that judges a call's <c>arguments</c> (issue 15). The
/// dialect comes from the schema's <c>$schema</c>; without one it is 2020-12, the default MCP 2025-11-25
/// gives tool schemas. Draft-07, which most servers still send, is read as draft-07.
/// </summary>
internal sealed class ArgumentSchema
{
    // Flag output stops at the first failure and builds no result tree: the per-call pass over arguments
    // that conform, which is nearly every call. Only a failing call pays for the list output that names
    // the keyword and path.
    private static readonly EvaluationOptions FlagOptions = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions ListOptions = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;

    private ArgumentSchema(JsonSchema schema) => _schema = schema;

    /// <summary>
    /// Compiles <paramref name="inputSchema"/>. A schema that cannot be built (unknown dialect, a
    /// malformed keyword, an unresolvable <c>$ref</c>) yields null and the library's message, so the
    /// caller can fail closed.
    /// </summary>
    public static ArgumentSchema? TryCompile(JsonElement inputSchema, out string? problem)
    {
        problem = null;
        if (inputSchema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            problem = "inputSchema is not a JSON Schema object";
            return null;
        }

        try
        {
            // A registry of its own per schema: the process-wide one would let one server's $id shadow
            // another's, and it is never given a fetcher, so a $ref can never reach the network.
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            return new ArgumentSchema(JsonSchema.Build(inputSchema.Clone(), options));
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException or JsonException or ArgumentException or InvalidOperationException or FormatException or UriFormatException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Null when <paramref name="arguments"/> conform, else the first failing keyword and where.</summary>
    /// <exception cref="RefResolutionException">
    /// A <c>$ref</c> on the path the arguments took does not resolve: the library resolves references
    /// when it first follows them, so this is how a dangling one shows; the caller treats the schema as
    /// uncompilable.
    /// </exception>
    public ArgumentSchemaFailure? Validate(JsonElement arguments)
    {
        if (_schema.Evaluate(arguments, FlagOptions).IsValid)
        {
            return null;
        }

        var results = _schema.Evaluate(arguments, ListOptions);
        if (results.IsValid)
        {
            // Cannot differ from the flag pass; refusing keeps the answer closed if the library ever disagrees.
            return new ArgumentSchemaFailure("schema", "");
        }

        // List output: the root first, then one node per evaluated location. Report the deepest failing
        // node that names a keyword, so "required" at /target beats "properties" at the root.
        ArgumentSchemaFailure? best = null;
        var bestDepth = -1;
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.IsValid || node.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            var depth = node.InstanceLocation.SegmentCount;
            if (depth > bestDepth)
            {
                // A false subschema (additionalProperties: false) fails without a keyword of its own; the
                // keyword that applied it is the last segment of the evaluation path.
                var keyword = errors.Keys.FirstOrDefault(k => k.Length > 0) ??
                              (node.EvaluationPath.SegmentCount > 0 ? node.EvaluationPath[node.EvaluationPath.SegmentCount - 1].ToString() : "false");
                best = new ArgumentSchemaFailure(keyword, node.InstanceLocation.ToString());
                bestDepth = depth;
            }
        }

        return best ?? new ArgumentSchemaFailure("schema", "");
    }
}

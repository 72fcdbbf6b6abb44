using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGateway.Testing;

/// <summary>Builds gateway configuration documents (the file format of issue 3) for tests.</summary>
internal sealed class GatewayConfig
{
    private readonly JsonObject _servers = [];
    private readonly JsonObject _policies = [];
    private readonly JsonObject _grants = [];

    public GatewayConfig Server(string name, Uri url, IDictionary<string, string>? headers = null, double? timeoutSeconds = null, JsonObject? auth = null, double? idleTimeoutSeconds = null)
    {
        var entry = new JsonObject { ["url"] = url.ToString() };
        if (auth is not null)
        {
            entry["auth"] = auth;
        }

        if (headers is not null)
        {
            entry["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
        }

        if (timeoutSeconds is { } seconds)
        {
            entry["timeout_seconds"] = seconds;
        }

        if (idleTimeoutSeconds is { } idle)
        {
            entry["idle_timeout_seconds"] = idle;
        }

        _servers[name] = entry;
        return this;
    }

    public GatewayConfig Policy(string name, string json)
    {
        _policies[name] = JsonNode.Parse(json);
        return this;
    }

    /// <summary>Adds a grant and returns its freshly made token.</summary>
    public GatewayConfig Grant(string label, string server, string policy, out string token)
    {
        token = "test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _grants[label] = new JsonObject
        {
            ["token_sha256"] = Sha256Hex(token),
            ["server"] = server,
            ["policy"] = policy,
        };
        return this;
    }

    /// <summary>Hashed here, not by the gateway's own helper, so a change to how the gateway hashes tokens fails the tests.</summary>
    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public JsonObject Build() => new()
    {
        ["servers"] = _servers.DeepClone(),
        ["policies"] = _policies.DeepClone(),
        ["grants"] = _grants.DeepClone(),
    };

    public static string Text(JsonElement decision, string property) =>
        decision.GetProperty(property).ValueKind == JsonValueKind.Null ? "" : decision.GetProperty(property).ToString();

    public static int? Int(JsonElement decision, string property) =>
        decision.GetProperty(property).ValueKind == JsonValueKind.Number ? decision.GetProperty(property).GetInt32() : null;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

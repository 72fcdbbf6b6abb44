namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// The end-to-end scenario of issue 3 for one upstream: one tool allowed, one rate-limited to
/// <see cref="Limit"/>, one denied, one hidden, and the rest unlisted under <c>default: deny</c>.
/// </summary>
internal sealed record Scenario(
    string Allowed,
    JsonObject AllowedArguments,
    string AllowedText,
    string Limited,
    JsonObject LimitedArguments,
    string Denied,
    JsonObject DeniedArguments,
    string Hidden,
    string Unlisted)
{
    public const int Limit = 3;
    public const string DenyReason = "this tool is switched off for agents";

    /// <summary>server-everything's tools.</summary>
    public static Scenario Everything { get; } = new(
        "echo", new JsonObject { ["message"] = "hello" }, "Echo: hello",
        "get-sum", new JsonObject { ["a"] = 2, ["b"] = 3 },
        "get-tiny-image", [],
        "get-env",
        "get-annotated-message");

    /// <summary>The C# SDK test upstream's tools.</summary>
    public static Scenario Sdk { get; } = new(
        "echo", new JsonObject { ["message"] = "hello" }, "Echo: hello",
        "add", new JsonObject { ["a"] = 2, ["b"] = 3 },
        "charge", new JsonObject { ["amount"] = 5 },
        "secret",
        "sleep");

    /// <summary>
    /// The window is a year so that a test never straddles a window boundary: the count must be exact.
    /// </summary>
    public string Policy =>
        $$"""
        {
          "version": "1",
          "default": "deny",
          "hide": ["{{Hidden}}"],
          "tools": {
            "{{Allowed}}": {},
            "{{Limited}}": { "limits": [ { "counter": "limited", "window": 31536000, "max": {{Limit}} } ] },
            "{{Denied}}": { "action": "deny", "reason": "{{DenyReason}}" },
            "{{Hidden}}": {}
          }
        }
        """;

    public Task<GrantedGateway> StartGatewayAsync(Uri upstream) => GrantedGateway.StartAsync("upstream", upstream, Policy);

    /// <summary>What <c>tools/list</c> shows under <see cref="Policy"/>: the tools a call may reach, not the hidden or unlisted one.</summary>
    public void AssertListed(IReadOnlySet<string?> tools)
    {
        Assert.Contains(Allowed, tools);
        Assert.Contains(Limited, tools);
        Assert.Contains(Denied, tools);
        Assert.DoesNotContain(Hidden, tools);
        Assert.DoesNotContain(Unlisted, tools);
    }

    /// <summary>What the SDK upstream ran after the scenario's calls: the allowed call once, the limited tool up to the limit, nothing else.</summary>
    public static void AssertSdkUpstreamRan(SdkUpstream upstream)
    {
        Assert.Equal(1, upstream.Calls(Sdk.Allowed));
        Assert.Equal(Limit, upstream.Calls(Sdk.Limited));
        Assert.Equal(0, upstream.Calls(Sdk.Denied));
        Assert.Equal(0, upstream.Calls(Sdk.Hidden));
    }
}

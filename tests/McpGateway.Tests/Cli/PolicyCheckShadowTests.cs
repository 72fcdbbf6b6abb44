using McpGateway.Cli;

namespace McpGateway.Tests.Cli;

/// <summary><c>mcpgw policy check</c> on a policy with shadowed rules prints both decisions, or the one <c>--mode</c> names (issue 17).</summary>
public sealed class PolicyCheckShadowTests : IDisposable
{
    private const string Policy = """
        {"version":"1","default":"allow","tools":{"delete_cluster":{"action":"deny","mode":"shadow","reason":"not from agents"}}}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-check-shadow-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Check_ShadowDenyRule_PrintsEnforcedAllowAndShadowDenyAndExitsZero()
    {
        var (exit, output) = await Run("policy", "check", Write(), "--tool", "delete_cluster");

        Assert.Equal(0, exit);
        Assert.StartsWith("allow delete_cluster", output, StringComparison.Ordinal);
        Assert.Contains("shadow (all rules enforced): deny delete_cluster", output, StringComparison.Ordinal);
        Assert.Contains("reason: not from agents", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ShadowDenyRuleAsJson_HasShadowDecision()
    {
        var (exit, output) = await Run("policy", "check", Write(), "--tool", "delete_cluster", "--json");

        using var report = JsonDocument.Parse(output);
        Assert.Equal(0, exit);
        Assert.Equal("allow", report.RootElement.GetProperty("decision").GetString());
        Assert.Equal("deny", report.RootElement.GetProperty("shadow").GetProperty("decision").GetString());
        Assert.Equal("tools.delete_cluster", report.RootElement.GetProperty("shadow").GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("enforce", 0, "allow", false)]
    [InlineData("shadow", 2, "deny", false)]
    [InlineData("both", 0, "allow", true)]
    public async Task Check_Mode_PrintsThatDecisionAndExitsByIt(string mode, int expectedExit, string decision, bool hasShadow)
    {
        var (exit, output) = await Run("policy", "check", Write(), "--tool", "delete_cluster", "--mode", mode, "--json");

        using var report = JsonDocument.Parse(output);
        Assert.Equal(expectedExit, exit);
        Assert.Equal(decision, report.RootElement.GetProperty("decision").GetString());
        Assert.Equal(hasShadow, report.RootElement.TryGetProperty("shadow", out _));
    }

    [Fact]
    public async Task Check_UnknownMode_IsAUsageError()
    {
        var (exit, _) = await Run("policy", "check", Write(), "--tool", "delete_cluster", "--mode", "log");

        Assert.Equal(64, exit);
    }

    [Fact]
    public async Task Check_NoShadowRules_HasNoShadowDecision()
    {
        var file = Path.Combine(_directory, "plain.json");
        File.WriteAllText(file, """{"version":"1","default":"allow"}""");

        var (_, output) = await Run("policy", "check", file, "--tool", "x", "--json");

        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.TryGetProperty("shadow", out _));
    }

    private string Write()
    {
        var file = Path.Combine(_directory, "policy.json");
        File.WriteAllText(file, Policy);
        return file;
    }

    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString());
    }
}

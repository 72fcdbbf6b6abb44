using McpGateway.Aws;
using McpGateway.Cli;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.Tests.Cli.Commands;

/// <summary>
/// What <c>policy push|pull</c>, <c>servers add</c> and <c>grants create --prefix</c> refuse before
/// contacting Parameter Store: every case here fails if the command tries to connect.
/// </summary>
public sealed class ParameterStoreCommandUsageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgw-usage-tests-").FullName;
    private int _connections;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("policy", "push", "--help")]
    [InlineData("policy", "pull", "--help")]
    [InlineData("servers", "add", "--help")]
    [InlineData("servers", "--help")]
    [InlineData("grants", "create", "--help")]
    public async Task Help_EveryCommand_ExitsZeroWithUsage(params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(0, run.Exit);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.Contains(" " + string.Join(' ', args[..^1]), run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mcp-gateway", "must start with \"/\"")]
    [InlineData("/aws/mcp", "\"aws\" or \"ssm\"")]
    [InlineData("/a//b", "empty level")]
    public async Task PolicyPull_BadPrefix_IsUsageError(string prefix, string expected)
    {
        var run = await Run("policy", "pull", "demo", "--prefix", prefix);

        Assert.Equal(CliApp.UsageError, run.Exit);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_BadName_IsUsageError()
    {
        var run = await Run("policy", "push", Write("p.json", """{"version":"1","default":"deny"}"""), "--name", "../etc");

        Assert.Equal(CliApp.UsageError, run.Exit);
        Assert.Contains("policy name \"../etc\" is invalid", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_InvalidPolicy_ExitsOneWithoutConnecting()
    {
        var file = Write("bad.json", """{"version":"1","default":"maybe"}""");

        var run = await Run("policy", "push", file, "--name", "demo");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith($"{file}: default: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyPush_MissingFile_ExitsOneWithoutConnecting()
    {
        var run = await Run("policy", "push", Path.Combine(_directory, "absent.json"), "--name", "demo");

        Assert.Equal(1, run.Exit);
        Assert.Contains("cannot read the file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServersAdd_HeaderWithoutEquals_IsUsageErrorThatDoesNotEchoIt()
    {
        var run = await Run("servers", "add", "s", "--url", "https://example.com/mcp", "--header", "Bearer-sk-secret-value");

        Assert.Equal(CliApp.UsageError, run.Exit);
        Assert.Contains("--header must be NAME=VALUE", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-value", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServersAdd_SameHeaderTwice_IsUsageError()
    {
        var run = await Run("servers", "add", "s", "--url", "https://example.com/mcp", "--header", "X-Key=a", "--header", "x-key=b");

        Assert.Equal(CliApp.UsageError, run.Exit);
        Assert.Contains("given twice", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServersAdd_CredentialsInUrl_ExitsOneWithoutConnecting()
    {
        var run = await Run("servers", "add", "s", "--url", "https://user:pw@example.com/mcp");

        Assert.Equal(1, run.Exit);
        Assert.Contains("put credentials in headers, not in the url", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrantsCreate_ConfigAndPrefix_IsUsageErrorAndMintsNothing()
    {
        var config = Write("gateway.json", "{}");

        var run = await Run("grants", "create", "--label", "a", "--server", "s", "--policy", "p", "--config", config, "--prefix");

        Assert.Equal(CliApp.UsageError, run.Exit);
        Assert.Contains("--config and --prefix cannot be used together", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("mcpgw_", run.Output, StringComparison.Ordinal);
        Assert.Equal("{}", File.ReadAllText(config));
    }

    [Fact]
    public async Task GrantsCreate_WithoutPrefix_DoesNotConnect()
    {
        var run = await Run("grants", "create", "--label", "a", "--server", "s", "--policy", "p", "--token-only");

        Assert.Equal(0, run.Exit);
        Assert.StartsWith("mcpgw_", run.Output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parameterStore = new ParameterStoreAccess(() =>
        {
            Interlocked.Increment(ref _connections);
            throw new InvalidOperationException("test: no Parameter Store here");
        });
        var exit = await CliApp.RunAsync(args, output, error, parameterStore);
        Assert.Equal(0, _connections);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}

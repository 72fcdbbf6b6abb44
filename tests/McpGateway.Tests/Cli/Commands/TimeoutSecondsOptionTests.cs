using System.CommandLine;
using McpGateway.Cli;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.Tests.Cli.Commands;

/// <summary>
/// <c>--timeout-seconds</c> on every command that has it: a value that is no finite number is a usage error with
/// one clear line. A reviewer's <c>--timeout-seconds abc</c> crashed <c>scan</c> and <c>tools pin|diff</c> with an
/// unhandled InvalidOperationException (exit 134), and <c>NaN</c> crashed <c>servers add</c> while writing JSON.
/// </summary>
public sealed class TimeoutSecondsOptionTests : IDisposable
{
    private readonly string _config;

    public TimeoutSecondsOptionTests()
    {
        _config = Path.Combine(Directory.CreateTempSubdirectory("mcpgw-timeout-tests-").FullName, "gateway.json");
        File.WriteAllText(_config, """{"servers":{"s":{"url":"http://127.0.0.1:1/mcp"}},"policies":{},"grants":{}}""");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);

    public static TheoryData<string, string> Commands() => new()
    {
        { "scan --url http://127.0.0.1:1/mcp", ", more than 0 and at most 3600" },
        { "scan --server s --config {config}", ", more than 0 and at most 3600" },
        { "tools pin --server s --config {config}", ", more than 0 and at most 3600" },
        { "tools diff --server s --config {config}", ", more than 0 and at most 3600" },
        { "servers add s --url https://example.com/mcp", "" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task TimeoutSeconds_NotANumber_IsUsageErrorNamingTheOption(string command, string range)
    {
        foreach (var value in new[] { "abc", "NaN", "Infinity", "1e999", "" })
        {
            var run = await Run([.. Args(command), "--timeout-seconds", value]);

            Assert.True(run.Exit == CliApp.UsageError, $"{command} --timeout-seconds '{value}': {run.Exit} {run.Error}");
            Assert.StartsWith($"--timeout-seconds must be a number of seconds{range}, not \"{value}\"", run.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("scan --url http://127.0.0.1:1/mcp")]
    [InlineData("tools pin --server s --config {config}")]
    [InlineData("tools diff --server s --config {config}")]
    public async Task TimeoutSeconds_OutOfRange_IsUsageError(string command)
    {
        foreach (var value in new[] { "0", "-1", "3600.5" })
        {
            var run = await Run([.. Args(command), "--timeout-seconds", value]);

            Assert.True(run.Exit == CliApp.UsageError, $"{command} --timeout-seconds {value}: {run.Exit} {run.Error}");
            Assert.StartsWith("--timeout-seconds must be more than 0 and at most 3600", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ServersAdd_TimeoutOutsideTheEntrysRange_IsAnInvalidEntry()
    {
        var run = await Run("servers", "add", "s", "--url", "https://example.com/mcp", "--timeout-seconds", "901");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("server \"s\": timeout_seconds must be between 0 and 900", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Every option that takes a number is this one, so a new number cannot bring the crash back unseen.</summary>
    [Fact]
    public void CommandTree_EveryNumericOption_IsTimeoutSecondsWithItsOwnParser()
    {
        var options = Walk(CliApp.CreateRootCommand(new ParameterStoreAccess(() => throw new InvalidOperationException("never connects"))))
            .Where(o => Type.GetTypeCode(Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType) is >= TypeCode.SByte and <= TypeCode.Decimal)
            .ToList();

        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.Equal("--timeout-seconds", o.Name));
        Assert.All(options, o => Assert.NotNull(o.GetType().GetProperty("CustomParser")!.GetValue(o)));
    }

    private static IEnumerable<Option> Walk(Command command) =>
        command.Options.Concat(command.Subcommands.SelectMany(Walk));

    private string[] Args(string command) => command.Replace("{config}", _config, StringComparison.Ordinal).Split(' ');

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, new ParameterStoreAccess(() => throw new InvalidOperationException("test: no Parameter Store here")));
        return (exit, output.ToString(), error.ToString());
    }
}

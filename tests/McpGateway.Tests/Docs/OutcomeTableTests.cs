using System.Text.RegularExpressions;

namespace McpGateway.Tests.Docs;

/// <summary>
/// The decision log's outcomes are named in one table (<see cref="CallOutcomes.Names"/>); the manual's outcome
/// table must list exactly those names, so no documented outcome is one the code never writes (issue 19).
/// </summary>
public sealed partial class OutcomeTableTests
{
    [Fact]
    public void ArchitectureOutcomeTable_ListsExactlyTheOutcomesTheCodeWrites()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md"));
        var documented = OutcomeRow().Matches(text).Select(m => m.Groups["name"].Value).ToList();
        var written = Enum.GetValues<CallOutcome>().Select(CallOutcomes.Names.NameOf).ToList();

        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.Equal(written.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("forwarded", nameof(CallOutcome.Forwarded))]
    [InlineData("approval_store_unavailable", nameof(CallOutcome.ApprovalStoreUnavailable))]
    [InlineData("upstream_failed", nameof(CallOutcome.UpstreamInvalid))]
    public void Parse_NamesOfTheLog_IncludingTheOlderUpstreamFailed(string name, string expected) =>
        Assert.Equal(Enum.Parse<CallOutcome>(expected), CallOutcomes.Parse(name));

    [Fact]
    public void Parse_UnknownName_IsNull() => Assert.Null(CallOutcomes.Parse("Forwarded"));

    [GeneratedRegex(@"^  \| `(?<name>[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex OutcomeRow();
}

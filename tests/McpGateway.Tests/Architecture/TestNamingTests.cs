using System.Text.RegularExpressions;

namespace McpGateway.Tests.Architecture;

/// <summary>
/// The one test-name convention of docs/testing.md ("Test names"), read from every test source: Subject_Condition_Expectation,
/// or Condition_Expectation in a class about one subject, each part in PascalCase (a part may start with a digit: a status or a count).
/// </summary>
public sealed partial class TestNamingTests
{
    [Fact]
    public void TestMethods_InEveryTestProject_FollowTheConvention()
    {
        var root = Path.Combine(RepositoryRoot.Path, "tests");
        var tests = SourceLayoutTests.SourceFiles(root)
            .SelectMany(f => TestMethodNames(f).Select(name => (File: Path.GetRelativePath(root, f), Name: name)))
            .ToList();
        Assert.True(tests.Count >= 400, $"expected the suite's test methods, found {tests.Count}");

        var offenders = tests.Where(t => !Conventional().IsMatch(t.Name)).Select(t => $"{t.File}: {t.Name}").ToList();
        Assert.True(offenders.Count == 0, "not Subject_Condition_Expectation:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("ReadAsync_AnyChunking_SameEvents", true)]
    [InlineData("Retry_AfterTheEnvelopeExpired_IsRefusedAsExpired", true)]
    [InlineData("UpstreamUnreachable_502AndReservationGivenBack", true)]
    [InlineData("A_body_arriving_in_pieces_is_read_whole", false)]
    [InlineData("Open_UnderAnotherKey_OrAnMcpSessionId_ReturnsNull", false)]
    [InlineData("EverythingWorks", false)]
    [InlineData("Parse_", false)]
    public void Conventional_Name_TwoOrThreePascalCaseParts(string name, bool conventional)
    {
        Assert.Equal(conventional, Conventional().IsMatch(name));
    }

    [Fact]
    public void TestMethodNames_AttributeLinesThenDeclaration_FindsEachTestButNoHelper()
    {
        var file = Path.Combine(Path.GetTempPath(), $"naming-{Guid.NewGuid():N}.cs");
        File.WriteAllLines(file,
        [
            "    [Theory]",
            "    [InlineData(\"[1,2]\")] // a bracket inside a string",
            "    public async Task Check_ArrayArgs_Refused(string json)",
            "    [Fact(Timeout = 1000)]",
            "    public void Some_sentence_style_name()",
            "    public Task InitializeAsync() => Task.CompletedTask;",
        ]);
        try
        {
            Assert.Equal(["Check_ArrayArgs_Refused", "Some_sentence_style_name"], TestMethodNames(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The name of the method declared after each <c>[Fact]</c> or <c>[Theory]</c> attribute line.</summary>
    private static List<string> TestMethodNames(string file)
    {
        var names = new List<string>();
        var pending = false;
        foreach (var line in File.ReadLines(file))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("[Fact", StringComparison.Ordinal) || trimmed.StartsWith("[Theory", StringComparison.Ordinal))
            {
                pending = true;
            }
            else if (pending && MethodDeclaration().Match(trimmed) is { Success: true } declaration)
            {
                names.Add(declaration.Groups["name"].Value);
                pending = false;
            }
        }

        return names;
    }

    [GeneratedRegex(@"^public\s+(?:async\s+)?(?:Task|ValueTask|void)\s+(?<name>\w+)\s*\(")]
    private static partial Regex MethodDeclaration();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(?:_[A-Z0-9][A-Za-z0-9]*){1,2}$")]
    private static partial Regex Conventional();
}

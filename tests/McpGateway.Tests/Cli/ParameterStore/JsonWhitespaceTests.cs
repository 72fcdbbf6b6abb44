using System.Text.Json.Nodes;
using McpGateway.Cli.ParameterStore;

namespace McpGateway.Tests.Cli.ParameterStore;

public sealed class JsonWhitespaceTests
{
    [Theory]
    [InlineData("{ \"a\" : [ 1 , 2 ] }", "{\"a\":[1,2]}")]
    [InlineData("{\n\t\"a b\": \"c  d\"\r\n}", "{\"a b\":\"c  d\"}")]
    [InlineData("[ \"quote \\\" inside\" , \"x\" ]", "[\"quote \\\" inside\",\"x\"]")]
    [InlineData("[ \"ends with backslash \\\\\" , \" y \" ]", "[\"ends with backslash \\\\\",\" y \"]")]
    [InlineData("{ \"n\": 1.50E+2, \"u\": \"\\u0041 é \\n\" }", "{\"n\":1.50E+2,\"u\":\"\\u0041 é \\n\"}")]
    [InlineData("\uFEFF { }", "{}")]
    public void Remove_ValidJson_DropsOnlyWhitespaceBetweenTokens(string json, string expected)
    {
        var compact = JsonWhitespace.Remove(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected, Encoding.UTF8.GetString(compact));
    }

    [Theory]
    [InlineData("github.json")]
    [InlineData("stripe.json")]
    [InlineData("ecr-builds.json")]
    public void Remove_ExamplePolicy_StaysValidAndMeansTheSame(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "policies", name));

        var compact = JsonWhitespace.Remove(original);

        Assert.True(compact.Length < original.Length);
        Assert.True(PolicyParser.Parse(compact).IsValid);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(compact)));
    }
}

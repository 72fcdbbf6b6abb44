using System.Security.Cryptography;
using McpGateway.Protocol;

namespace McpGateway.Tests.Protocol;

/// <summary>
/// The canonical form is a contract: the decision log publishes its hash and approvals bind to it, so a
/// rewrite of how it is produced (issue 8 pooled its buffers) must not change a single byte of it.
/// </summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{"b":1,"a":{"d":[{"z":true,"y":null}],"c":"x"},"B":2}""", """{"B":2,"a":{"c":"x","d":[{"y":null,"z":true}]},"b":1}""")]
    [InlineData("""{ "amount" : 1.50, "currency" : "usd" }""", """{"amount":1.50,"currency":"usd"}""")]
    [InlineData("""{"\u00e9":"caf\u00e9","e":"<tag>"}""", """{"e":"\u003Ctag\u003E","\u00E9":"caf\u00E9"}""")]
    [InlineData("""{"list":[3,1,{"b":[],"a":{}}],"":0}""", """{"":0,"list":[3,1,{"a":{},"b":[]}]}""")]
    public void Sha256Hex_SortsMembersOrdinally_HashesTheCanonicalText(string json, string canonical)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(Hex(canonical), CanonicalJson.Sha256Hex(document.RootElement));
    }

    [Fact]
    public void Sha256Hex_MissingArguments_HashAsEmptyObject()
    {
        Assert.Equal(Hex("{}"), CanonicalJson.Sha256Hex(default));
    }

    [Fact]
    public void Sha256Hex_LargeArguments_SameAsSmallFormsOfTheText()
    {
        var content = new string('x', 100_000);
        using var document = JsonDocument.Parse($$"""{"z":"{{content}}","a":1}""");

        Assert.Equal(Hex($$"""{"a":1,"z":"{{content}}"}"""), CanonicalJson.Sha256Hex(document.RootElement));
    }

    private static string Hex(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}

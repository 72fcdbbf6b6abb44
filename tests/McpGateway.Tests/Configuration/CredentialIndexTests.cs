using System.Collections.Immutable;
using System.Security.Cryptography;
using McpGateway.Configuration;

namespace McpGateway.Tests.Configuration;

/// <summary>The credential index finds holders by the SHA-256 of their token without scanning every credential.</summary>
public sealed class CredentialIndexTests
{
    private sealed record Holder(string Name, ImmutableArray<byte> Hash);

    [Fact]
    public void Find_AThousandHolders_FindsEachAndNobodyForAnUnknownToken()
    {
        var holders = Enumerable.Range(0, 1_000).Select(i => new Holder($"agent-{i}", Hash($"token-{i}"))).ToArray();
        var index = new CredentialIndex<Holder>(holders, static h => h.Hash);

        Assert.All(Enumerable.Range(0, 1_000), i => Assert.Equal($"agent-{i}", index.Find(Hash($"token-{i}").AsSpan())?.Name));
        Assert.Null(index.Find(Hash("token-1000").AsSpan()));
    }

    [Fact]
    public void Find_HashSharingOnlyTheIndexedPrefix_FindsNobody()
    {
        var stored = Hash("token");
        var lookalike = stored.ToArray();
        lookalike[^1] ^= 0x01;
        var index = new CredentialIndex<Holder>([new Holder("agent", stored)], static h => h.Hash);

        Assert.Null(index.Find(lookalike));
        Assert.Equal("agent", index.Find(stored.AsSpan())?.Name);
    }

    [Fact]
    public void Find_HoldersWithTheSamePrefix_ToldApartByTheWholeHash()
    {
        var first = Hash("token");
        var second = first.ToArray();
        second[31] ^= 0xFF;
        var index = new CredentialIndex<Holder>([new Holder("first", first), new Holder("second", [.. second])], static h => h.Hash);

        Assert.Equal("first", index.Find(first.AsSpan())?.Name);
        Assert.Equal("second", index.Find(second)?.Name);
    }

    [Fact]
    public void Find_RepeatedToken_ResolvesToItsLastHolder()
    {
        var hash = Hash("shared");
        var index = new CredentialIndex<Holder>([new Holder("first", hash), new Holder("last", hash)], static h => h.Hash);

        Assert.Equal("last", index.Find(hash.AsSpan())?.Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(31)]
    [InlineData(33)]
    public void Find_InputThatIsNotASha256_FindsNobody(int length)
    {
        var hash = Hash("token");
        var index = new CredentialIndex<Holder>([new Holder("agent", hash)], static h => h.Hash);
        var input = new byte[length];
        hash.AsSpan(0, Math.Min(length, 32)).CopyTo(input);

        Assert.Null(index.Find(input));
    }

    private static ImmutableArray<byte> Hash(string token) => [.. SHA256.HashData(Encoding.UTF8.GetBytes(token))];
}

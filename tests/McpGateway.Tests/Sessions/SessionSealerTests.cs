using System.Buffers.Text;
using System.Security.Cryptography;
using McpGateway.Sessions;

namespace McpGateway.Tests.Sessions;

/// <summary>
/// Session and task ids as the gateway seals them: the same session always seals to the same id (upstreams repeat it
/// on every response), and nothing opens that this key and purpose did not seal, unaltered.
/// </summary>
public sealed class SessionSealerTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Seal_SameSessionTwice_SameIdThatOpensToIt()
    {
        var sealer = new SessionSealer(Key);

        var first = sealer.Seal("alice", "upstream-session-1");
        var second = sealer.Seal("alice", "upstream-session-1");

        Assert.Equal(first, second);
        Assert.StartsWith("mgs1.", first, StringComparison.Ordinal);
        Assert.True(sealer.TryUnseal(first, out var grant, out var upstream));
        Assert.Equal(("alice", "upstream-session-1"), (grant, upstream));
        Assert.NotEqual(first, sealer.Seal("bob", "upstream-session-1"));
    }

    [Fact]
    public void TryUnseal_AnyByteAltered_Refused()
    {
        var sealer = new SessionSealer(Key);
        var bytes = Base64Url.DecodeFromChars(sealer.Seal("alice", "s").AsSpan("mgs1.".Length));

        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;

            Assert.False(sealer.TryUnseal("mgs1." + Base64Url.EncodeToString(altered), out _, out _), $"byte {i}");
        }
    }

    [Fact]
    public void TryUnseal_AnotherKeyOrPurpose_Refused()
    {
        var sealer = new SessionSealer(Key);
        var tasks = sealer.Derive("task", "mgt1.");
        var session = sealer.Seal("alice", "s");
        var task = tasks.Seal("alice", "s");

        Assert.False(new SessionSealer(RandomNumberGenerator.GetBytes(32)).TryUnseal(session, out _, out _));
        Assert.False(tasks.TryUnseal("mgt1." + session["mgs1.".Length..], out _, out _));
        Assert.False(sealer.TryUnseal("mgs1." + task["mgt1.".Length..], out _, out _));
        Assert.True(tasks.TryUnseal(task, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("mgs1.")]
    [InlineData("mgs1.not*base64url")]
    [InlineData("mgs1.AAAA")]
    [InlineData("other.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryUnseal_NotASealedId_Refused(string value)
    {
        Assert.False(new SessionSealer(Key).TryUnseal(value, out _, out _));
    }

    [Fact]
    public void TryUnseal_LongerThanTheBound_Refused()
    {
        var sealer = new SessionSealer(Key);
        var tooLong = sealer.Seal("alice", new string('s', 2000));

        Assert.False(sealer.TryUnseal(tooLong, out _, out _));
    }
}

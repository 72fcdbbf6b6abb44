using System.Collections.Immutable;
using System.Security.Cryptography;
using McpGateway.Admin;
using McpGateway.Sessions;

namespace McpGateway.Tests.Admin;

public sealed class ApproverSessionSealerTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly ImmutableArray<byte> Hash = [.. SHA256.HashData("mcpgw_admin_x"u8)];

    [Fact]
    public void Open_WhatItSealed_ReturnsTheSameSession()
    {
        var sealer = new ApproverSessionSealer(Key);
        var session = new ApproverSession("alice.ops-1", Hash, Now.AddMinutes(30));

        var opened = sealer.Open(sealer.Seal(session), Now);

        Assert.NotNull(opened);
        Assert.Equal("alice.ops-1", opened.Admin);
        Assert.Equal(Hash.ToArray(), opened.TokenSha256.ToArray());
        Assert.Equal(Now.AddMinutes(30), opened.ExpiresAt);
    }

    [Fact]
    public void Seal_TwiceTheSameSession_GivesDifferentCookiesAndCsrfTokens()
    {
        var sealer = new ApproverSessionSealer(Key);
        var session = new ApproverSession("alice", Hash, Now.AddMinutes(30));

        var first = sealer.Seal(session);
        var second = sealer.Seal(session);

        Assert.NotEqual(first, second);
        Assert.NotEqual(sealer.CsrfToken(first), sealer.CsrfToken(second));
        Assert.True(sealer.IsValidCsrfToken(first, sealer.CsrfToken(first)));
        Assert.False(sealer.IsValidCsrfToken(first, sealer.CsrfToken(second)));
        Assert.False(sealer.IsValidCsrfToken(first, null));
        Assert.False(sealer.IsValidCsrfToken(first, ""));
    }

    [Fact]
    public void Open_AtOrAfterExpiry_ReturnsNull()
    {
        var sealer = new ApproverSessionSealer(Key);
        var cookie = sealer.Seal(new ApproverSession("alice", Hash, Now.AddMinutes(30)));

        Assert.NotNull(sealer.Open(cookie, Now.AddMinutes(30).AddSeconds(-1)));
        Assert.Null(sealer.Open(cookie, Now.AddMinutes(30)));
        Assert.Null(sealer.Open(cookie, Now.AddDays(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("mga1.")]
    [InlineData("mga1.!!!not-base64")]
    [InlineData("mga2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("mga1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Open_Garbage_ReturnsNull(string cookie) =>
        Assert.Null(new ApproverSessionSealer(Key).Open(cookie, Now));

    [Fact]
    public void Open_EveryAlteredCharacter_ReturnsNull()
    {
        var sealer = new ApproverSessionSealer(Key);
        var cookie = sealer.Seal(new ApproverSession("alice", Hash, Now.AddMinutes(30)));

        for (var i = "mga1.".Length; i < cookie.Length; i++)
        {
            var altered = cookie[..i] + (cookie[i] == 'A' ? 'B' : 'A') + cookie[(i + 1)..];
            Assert.Null(sealer.Open(altered, Now));
        }
    }

    [Fact]
    public void Open_UnderAnotherKeyOrAsAnMcpSessionId_ReturnsNull()
    {
        var cookie = new ApproverSessionSealer(Key).Seal(new ApproverSession("alice", Hash, Now.AddMinutes(30)));
        var mcpSession = new SessionSealer(Key).Seal("alice", "upstream-session");

        Assert.Null(new ApproverSessionSealer(RandomNumberGenerator.GetBytes(32)).Open(cookie, Now));
        Assert.Null(new ApproverSessionSealer(Key).Open("mga1." + mcpSession["mgs1.".Length..], Now));
    }

    [Fact]
    public void Constructor_ShortKey_Throws() =>
        Assert.Throws<ArgumentException>(() => new ApproverSessionSealer(new byte[31]));
}

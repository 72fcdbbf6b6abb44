using System.Net.Http.Headers;

namespace McpGateway.IntegrationTests.Adversarial;

// Tokens, grants, servers and session ids that are missing, wrong or someone else's.
public sealed partial class AdversarialRequestTests
{
    [Fact]
    public async Task Post_WithoutToken_Returns401WithBearerChallenge()
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, token: null, RawHttp.Json(EchoCall)));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
        Assert.StartsWith("Bearer ", reply.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownToken_Returns401WithInvalidTokenChallenge()
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.Token + "x", RawHttp.Json(EchoCall)));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
        Assert.StartsWith("Bearer ", reply.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", reply.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BasicSchemeWithValidToken_Returns401()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("agent:" + fixture.Token));

        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, token: null, RawHttp.Json(EchoCall), request =>
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic)));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
        Assert.StartsWith("Bearer ", reply.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TokenOfAnotherServersGrant_Returns403WithoutForwarding()
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(Url, fixture.OtherServerToken, RawHttp.Json(EchoCall)));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
    }

    [Fact]
    public async Task Post_UnknownServer_Returns404WithoutForwarding()
    {
        var reply = await UnforwardedAsync(() => Http.PostAsync(fixture.Gateway.McpUrl("no-such-server"), fixture.Token, RawHttp.Json(EchoCall)));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
    }

    [Fact]
    public async Task Post_SessionIdReplayedWithAnotherGrantsToken_Returns404()
    {
        var everything = fixture.Gateway.McpUrl("everything");
        var session = await InitializeSessionAsync(fixture.AliceToken);

        // The session works for the grant it was minted for, so the 404 below is about the grant alone.
        var own = await Http.PostAsync(everything, fixture.AliceToken, RawHttp.Json(ToolsList), WithSession(session));
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.True(own.Message.GetProperty("result").TryGetProperty("tools", out _));

        var replayed = await Http.PostAsync(everything, fixture.BobToken, RawHttp.Json(ToolsList), WithSession(session));

        Assert.Equal(HttpStatusCode.NotFound, replayed.Status);
        Assert.Equal(-32001, replayed.ErrorCode);
    }

    [Fact]
    public async Task Post_TamperedSessionId_Returns404()
    {
        var session = await InitializeSessionAsync(fixture.AliceToken);
        var middle = session.Length / 2;
        var tampered = session[..middle] + (session[middle] == 'A' ? 'B' : 'A') + session[(middle + 1)..];

        var reply = await Http.PostAsync(fixture.Gateway.McpUrl("everything"), fixture.AliceToken, RawHttp.Json(ToolsList), WithSession(tampered));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal(-32001, reply.ErrorCode);
    }
}

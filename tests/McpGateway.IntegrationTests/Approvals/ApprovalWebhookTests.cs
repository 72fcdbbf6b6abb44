using System.Collections.Concurrent;

namespace McpGateway.IntegrationTests.Approvals;

/// <summary>The webhook posted for each new pending approval.</summary>
public sealed class ApprovalWebhookTests
{
    [Fact]
    public async Task NewPendingApproval_WebhookGetsTextAndDetails_WithoutArgumentValues()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await ApprovalHarness.StartAsync(environment: new Dictionary<string, string?> { ["Gateway__Approvals__WebhookUrl"] = receiver.Url.ToString() });

        var id = await harness.PendingChargeAsync(4242);
        var body = await receiver.NextAsync();

        using var payload = JsonDocument.Parse(body);
        Assert.Contains(id, payload.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("charge", payload.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, payload.RootElement.GetProperty("approval").GetProperty("id").GetString());
        Assert.Equal("amount", payload.RootElement.GetProperty("approval").GetProperty("argument_keys")[0].GetString());
        Assert.False(payload.RootElement.TryGetProperty("arguments", out _));
        Assert.DoesNotContain("4242", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyOptsIn_WebhookCarriesArgumentValues()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await ApprovalHarness.StartAsync(includeArguments: true, environment: new Dictionary<string, string?> { ["Gateway__Approvals__WebhookUrl"] = receiver.Url.ToString() });

        await harness.ChargeAsync(4242);
        using var payload = JsonDocument.Parse(await receiver.NextAsync());

        Assert.Equal(4242, payload.RootElement.GetProperty("arguments").GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task PublicBaseUrlWithStagePrefix_WebhookTextLinksToTheApproverPageForThatApproval()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await ApprovalHarness.StartAsync(environment: new Dictionary<string, string?>
        {
            ["Gateway__Approvals__WebhookUrl"] = receiver.Url.ToString(),
            ["Gateway__Approvals__PublicBaseUrl"] = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/",
        });

        var id = await harness.PendingChargeAsync(1);
        using var payload = JsonDocument.Parse(await receiver.NextAsync());

        var text = payload.RootElement.GetProperty("text").GetString();
        Assert.Contains($"Review: https://abc123.execute-api.eu-west-1.amazonaws.com/prod/admin/ui#{id} ", text, StringComparison.Ordinal);
        Assert.Contains($"--gateway https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", text, StringComparison.Ordinal);
    }

    /// <summary>An HTTP endpoint on 127.0.0.1 that records what is posted to it, standing in for a chat webhook.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly BlockingCollection<string> _bodies = [];
        private WebApplication? _app;

        public Uri Url { get; private set; } = null!;

        public static async Task<WebhookReceiver> StartAsync()
        {
            var receiver = new WebhookReceiver();
            var builder = LoopbackApp.CreateBuilder();
            var app = builder.Build();
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                receiver._bodies.Add(await reader.ReadToEndAsync());
                return Results.Ok();
            });
            receiver._app = app;
            receiver.Url = new Uri(await app.StartLoopbackAsync(), "/hook");
            return receiver;
        }

        public Task<string> NextAsync() => Task.Run(() =>
            _bodies.TryTake(out var body, TimeSpan.FromSeconds(15)) ? body : throw new TimeoutException("no webhook call within 15 s"));

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            _bodies.Dispose();
        }
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGateway.Approvals;

/// <summary>
/// Posts each new pending approval to the configured webhook: a <c>text</c> line that chat tools display,
/// and the structured details. Argument values are included only when the policy opts in
/// (<c>"approval": {"include_arguments": true}</c>). Delivery never delays or fails the agent's call.
/// </summary>
internal sealed class ApprovalNotifier(IOptions<ApprovalOptions> options, ILogger<ApprovalNotifier> logger) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ApprovalOptions _options = options.Value;

    /// <summary>The delivery in flight, for tests and orderly shutdown.</summary>
    public Task LastDelivery { get; private set; } = Task.CompletedTask;

    public void Notify(ApprovalRecord record, JsonElement? arguments)
    {
        if (_options.WebhookUrl is not { } url)
        {
            return;
        }

        // Delivery runs after the request ends and its parsed message is disposed: take a copy now.
        // The values go once, beside the record (where webhook readers already find them), not inside it too.
        var payload = new ApprovalWebhookPayload(Text(record), record with { Arguments = null, ArgumentsTooLarge = null }, arguments?.Clone());
        LastDelivery = Task.Run(() => DeliverAsync(url, payload));
    }

    public void Dispose() => _http.Dispose();

    private async Task DeliverAsync(Uri url, ApprovalWebhookPayload payload)
    {
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(payload, ApprovalJsonContext.Default.ApprovalWebhookPayload));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(url, content).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                GatewayLog.ApprovalWebhookFailed(logger, payload.Approval.Id, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            GatewayLog.ApprovalWebhookFailed(logger, payload.Approval.Id, ex.GetType().Name);
        }
    }

    private string Text(ApprovalRecord record)
    {
        var where = _options.PublicBaseUrl is { Length: > 0 } baseUrl ? $" --gateway {baseUrl}" : "";

        // The approver page for this approval (issue 22): a person with only a phone can act on the link.
        var page = _options.PublicBaseUrl is { Length: > 0 } pageBase ? $"Review: {pageBase.TrimEnd('/')}/admin/ui#{record.Id}  " : "";
        return $"Approval needed: grant \"{record.Grant}\" wants to call {record.Tool} on {record.Server} " +
               $"(approval {record.Id}, expires {record.ExpiresAt:u}). {page}" +
               $"Approve: mcpgw approvals approve {record.Id}{where}  Reject: mcpgw approvals reject {record.Id}{where}";
    }
}

namespace McpGateway.Approvals;

/// <summary>Settings under <c>Gateway:Approvals:</c>.</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Gateway:Approvals";

    /// <summary>Receives a JSON POST for each new pending approval (Slack and most chat webhooks show its "text").</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The gateway's public base URL, named in notifications so approvers know where to act.</summary>
    public string? PublicBaseUrl { get; set; }
}

namespace McpGateway.Admin;

/// <summary>
/// Endpoint metadata on the approver page's API routes: the admin handlers authenticate these by the page's
/// session cookie, and every other admin route by Bearer only.
/// </summary>
internal sealed class ApproverPageApi
{
    public static readonly ApproverPageApi Instance = new();

    private ApproverPageApi()
    {
    }
}

namespace McpGateway.IntegrationTests.Cli;

/// <summary>
/// In front of moto_server, which does not refuse a tier downgrade: answers every Standard-tier PutParameter as
/// AWS does for a parameter that is Advanced already.
/// </summary>
internal sealed class AdvancedParameterFake(HttpMessageHandler signed) : DelegatingHandler(signed)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Headers.TryGetValues("X-Amz-Target", out var target) && target.Single() == "AmazonSSM.PutParameter"
            && body.Contains("\"Tier\":\"Standard\"", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent(
                    """{"__type":"ValidationException","message":"This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter."}""",
                    Encoding.UTF8,
                    "application/x-amz-json-1.1"),
            };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using McpGateway.Aws;

namespace McpGateway.IntegrationTests.Aws;

/// <summary>
/// The SSM client's requests carry exactly the SigV4 signature AWS's own reference implementation
/// (botocore, on this machine with the aws CLI) computes for the same request and time.
/// </summary>
public sealed class SigV4ReferenceTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime SignedAt = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GetParameter_FixedTimeAndCredentials_SignatureEqualsBotocore()
    {
        var capture = new CaptureHandler();
        using var client = new SsmClient(
            SsmClient.CreateSigningHandler(new BasicAWSCredentials(AccessKey, SecretKey), "us-east-1", SignedAt, capture),
            new Uri("https://ssm.us-east-1.amazonaws.com/"));

        await client.GetParameterAsync("/mcp-gateway/policies/demo", withDecryption: true, CancellationToken.None);

        var request = capture.Request!;
        var authorization = request.Headers["Authorization"];
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261120/us-east-1/ssm/aws4_request, SignedHeaders=", authorization, StringComparison.Ordinal);
        var signedHeaders = Between(authorization, "SignedHeaders=", ",").Split(';');
        var signature = authorization[(authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];

        Assert.Contains("x-amz-target", signedHeaders);
        Assert.Contains("x-amz-date", signedHeaders);
        Assert.Equal(await BotocoreSignatureAsync(request, signedHeaders), signature);
    }

    private static async Task<string> BotocoreSignatureAsync(CapturedRequest request, string[] signedHeaders)
    {
        var input = new JsonObject
        {
            ["method"] = request.Method,
            ["url"] = request.Url,
            ["body"] = request.Body,
            ["timestamp"] = SignedAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["headers"] = new JsonObject(signedHeaders.Where(h => h != "host").Select(h => KeyValuePair.Create(h, (JsonNode?)request.Headers[h]))),
        };

        // botocore's SigV4Auth, given the timestamp instead of reading the clock.
        const string Script = """
            import json, sys
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            data = json.load(sys.stdin)
            request = AWSRequest(method=data["method"], url=data["url"], data=data["body"].encode(), headers=data["headers"])
            request.context["timestamp"] = data["timestamp"]
            auth = SigV4Auth(Credentials(sys.argv[1], sys.argv[2]), "ssm", "us-east-1")
            canonical = auth.canonical_request(request)
            print(auth.signature(auth.string_to_sign(request, canonical), request))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script.Replace("\r", "", StringComparison.Ordinal));
        start.ArgumentList.Add(AccessKey);
        start.ArgumentList.Add(SecretKey);
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(input.ToJsonString());
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, error);
        return output.Trim();
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private sealed record CapturedRequest(string Method, string Url, string Body, Dictionary<string, string> Headers);

    /// <summary>Stands in for the network below the signer: records the signed request, answers "not found".</summary>
    private sealed class CaptureHandler : HttpMessageHandler
    {
        public CapturedRequest? Request { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Request = new CapturedRequest(request.Method.Method, request.RequestUri!.ToString(), body, headers);
            return new HttpResponseMessage(System.Net.HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"__type":"ParameterNotFound","message":"captured"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
            };
        }
    }
}

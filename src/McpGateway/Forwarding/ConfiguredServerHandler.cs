using McpGateway.Aws;
using McpGateway.Configuration;

namespace McpGateway.Forwarding;

/// <summary>
/// Sends the requests an MCP client library makes (the gateway reading a server's tools for pins and schema
/// checks, the CLI's <c>scan</c> and <c>tools pin</c>) the way forwarded requests go: the server's configured
/// headers win over the client's, the client's <c>Authorization</c> never leaves unless it is one of them, and a
/// SigV4 server's requests are signed by <see cref="UpstreamSigningHandler"/> below this, over the bytes sent.
/// </summary>
/// <remarks><c>actingFor</c> is the role session name when the server's auth assumes a role.</remarks>
internal sealed class ConfiguredServerHandler(ServerConfig server, HttpMessageInvoker transport, string actingFor) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri ?? server.Url;
        var outgoing = server.Auth is { } auth
            ? new SigV4Request(request.Method, url, auth, server.Name, actingFor)
            : new HttpRequestMessage(request.Method, url);
        outgoing.Version = request.Version;
        outgoing.VersionPolicy = request.VersionPolicy;
        foreach (var (name, values) in request.Headers)
        {
            if (!string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                // One raw value, joined as the wire joins it: a signature covers the header exactly as sent, and
                // several values would be joined differently for the signature than on the wire.
                var separator = string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase) ? " " : ", ";
                outgoing.Headers.TryAddWithoutValidation(name, string.Join(separator, values));
            }
        }

        foreach (var (name, value) in server.Headers)
        {
            outgoing.Headers.Remove(name);
            outgoing.Headers.TryAddWithoutValidation(name, value);
        }

        outgoing.Content = request.Content;
        return transport.SendAsync(outgoing, cancellationToken);
    }
}

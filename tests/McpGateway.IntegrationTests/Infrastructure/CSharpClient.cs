using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The C# MCP SDK client (<c>ModelContextProtocol</c> 2.3.1) pointed at the gateway.</summary>
internal static class CSharpClient
{
    /// <summary>Connects; a null <paramref name="protocolVersion"/> lets the client probe 2026-07-28 with server/discover and fall back.</summary>
    public static Task<McpClient> ConnectAsync(Uri url, string token, string? protocolVersion = null, CancellationToken cancellationToken = default)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = url,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });

        return McpClient.CreateAsync(
            transport,
            new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "gateway-integration-test", Version = "1.0" },
                ProtocolVersion = protocolVersion,
            },
            cancellationToken: cancellationToken);
    }

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}

using System.Net;
using System.Net.Sockets;

namespace McpGateway.Testing;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
internal static class Loopback
{
    /// <summary>A port free right now (the OS picks it); also a port nothing listens on, for "unreachable" tests.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls until something accepts connections on <paramref name="port"/>, for servers that print nothing when ready.</summary>
    public static async Task WaitForPortAsync(int port, ManagedProcess process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }
}

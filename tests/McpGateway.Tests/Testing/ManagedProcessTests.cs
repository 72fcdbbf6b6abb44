using System.Diagnostics;
using System.Text.RegularExpressions;

namespace McpGateway.Tests.Testing;

/// <summary>
/// The child-process runner every test server starts with: a server that never gets ready must not outlive its
/// failed start, or a suite of failures leaves processes holding ports and memory behind it.
/// </summary>
public sealed class ManagedProcessTests
{
    [Fact]
    public async Task ReadyWhenLineAsync_LinePrinted_ReturnsTheMatchAndKeepsTheProcess()
    {
        await using var process = new ManagedProcess("sh", ["-c", "echo 'listening on 4242'; exec sleep 30"]);

        var match = await process.ReadyWhenLineAsync(new Regex(@"^listening on (\d+)$"), TimeSpan.FromSeconds(10));

        Assert.Equal("4242", match.Groups[1].Value);
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task ReadyWhenLineAsync_NeverReady_ThrowsAndKillsTheProcess()
    {
        var process = new ManagedProcess("sleep", ["30"]);
        var id = process.Id;

        await Assert.ThrowsAsync<TimeoutException>(() => process.ReadyWhenLineAsync(new Regex("^ready$"), TimeSpan.FromMilliseconds(300)));

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(id));
    }

    [Fact]
    public async Task ReadyWhenListeningAsync_NothingListens_ThrowsAndKillsTheProcess()
    {
        var process = new ManagedProcess("sleep", ["30"]);
        var id = process.Id;

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => process.ReadyWhenListeningAsync(Loopback.FreePort(), TimeSpan.FromMilliseconds(300)));

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(id));
    }
}
